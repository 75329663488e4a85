import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldDefinitions } from '../../../../src/domain/person-fields/definitions.ts';
import { dealInputFromV1 } from '../../../../src/domain/deals/deal-input-v1.ts';

const NO_FIELDS = new FieldDefinitions([], new Set(), 'deal');
const read = (body: Record<string, unknown>) => dealInputFromV1(body, NO_FIELDS);

describe('dealInputFromV1', () => {
  it('reads user_id as the owner, numeric strings, labels in every v1 spelling and unlinking values', () => {
    assert.deepEqual(
      read({ title: 'Deal', user_id: '4', person_id: { value: 7 }, org_id: 0, value: '12.50', probability: '60', visible_to: '3', label: '1,2', status: 'won', won_time: '2024-01-02 03:04:05', pipeline_id: null, active: true }),
      { title: 'Deal', owner_id: 4, person_id: 7, org_id: null, value: 12.5, probability: 60, visible_to: 3, label_ids: [1, 2], status: 'won', won_time: '2024-01-02 03:04:05' },
    );
    assert.deepEqual(read({ label: 3 }).label_ids, [3]);
    assert.deepEqual(read({ pipeline_id: '2', stage_id: { value: 9 } }), { pipeline_id: 2, stage_id: 9 });
    assert.throws(() => read({ stage_id: 'first' }), /stage_id/);
    assert.deepEqual(read({ label: null, person_id: '', value: null, probability: '' }), { label_ids: [], person_id: null, value: 0, probability: null });
  });

  it('refuses what personsd cannot store and names the key of a wrong value', () => {
    for (const key of ['origin_id', 'channel', 'channel_id']) {
      assert.throws(() => read({ title: 'X', [key]: 1 }), new RegExp(`${key} cannot be stored`));
    }
    assert.throws(() => read({ ['e'.repeat(40)]: 'x' }), /not a custom field of deals/);
    assert.throws(() => read({ status: 'deleted' }), /DELETE/);
    assert.throws(() => read({ status: 'closed' }), /status must be one of open, won, lost/);
    assert.throws(() => read({ value: '1,5' }), /value must be a number/);
    assert.throws(() => read({ value: 'Infinity' }), /value must be a number/);
    assert.throws(() => read({ user_id: -1 }), /user_id/);
    assert.throws(() => read({ label: [{}] }), /label\[0\]/);
  });
});
