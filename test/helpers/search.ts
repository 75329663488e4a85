import assert from 'node:assert/strict';
import type { Api } from './server.ts';

export interface SearchPage {
  items: Array<{ result_score: number; item: Record<string, any> }>;
  nextCursor: string | null;
}

/** One page of a v2 cursor-paged search endpoint (persons, organizations, deals), asserting a 200. */
export async function searchPage(api: Api, path: string, params: Record<string, string | number | boolean>): Promise<SearchPage> {
  const res = await api.get(`${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  return { items: res.body.data.items, nextCursor: res.body.additional_data.next_cursor };
}

/** Creates a record through the API and returns it, asserting a 200. */
export async function created(api: Api, path: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await api.post(path, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}
