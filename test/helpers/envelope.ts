import assert from 'node:assert/strict';

/** A refusal in Pipedrive's error envelope with this status, whose error (or error_info) matches `pattern`. */
export function assertError(response: { status: number; body: any }, status: number, pattern?: RegExp): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.body.success, false);
  assert.equal(response.body.data, null);
  assert.equal(typeof response.body.error, 'string');
  if (pattern) assert.match(`${response.body.error} ${response.body.error_info ?? ''}`, pattern);
}
