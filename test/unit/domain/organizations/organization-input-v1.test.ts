import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldDefinitions } from '../../../../src/domain/person-fields/definitions.ts';
import { organizationInputFromV1 } from '../../../../src/domain/organizations/organization-input-v1.ts';

const NO_FIELDS = new FieldDefinitions([], new Set(), 'organization');
const read = (body: Record<string, unknown>) => organizationInputFromV1(body, NO_FIELDS);

describe('organizationInputFromV1', () => {
  it('reads numeric strings, {value} objects, label beside label_ids and the flat address', () => {
    assert.deepEqual(
      read({ name: 'Acme', owner_id: { value: 4, name: 'Ann' }, visible_to: '7', label_ids: '1, 2', add_time: '2024-01-02 03:04:05', address: '1 Main St', address_locality: 'Springfield', id: 9, people_count: 3 }),
      { name: 'Acme', owner_id: 4, visible_to: 7, label_ids: [1, 2], add_time: '2024-01-02 03:04:05', address: { value: '1 Main St', locality: 'Springfield' } },
    );
    assert.deepEqual(read({ label: 2, label_ids: [2, 3] }).label_ids, [2, 3], 'label that is the first keeps the others');
    assert.deepEqual(read({ label: '5', label_ids: [2, 3] }).label_ids, [5], 'another label replaces them');
    assert.deepEqual(read({ label: null }).label_ids, []);
    assert.equal(read({ address: '', address_country: null }).address, null, 'an empty address clears it');
  });

  it('names the key of a value it refuses, custom keys included', () => {
    assert.throws(() => read({ owner_id: 'me' }), /owner_id/);
    assert.throws(() => read({ owner_id: 0 }), /owner_id must be a positive integer/);
    assert.throws(() => read({ visible_to: '3.5' }), /visible_to/);
    assert.throws(() => read({ label_ids: ['x'] }), /label_ids\[0\]/);
    assert.throws(() => read({ name: ['a'] }), /name must be a string/);
    assert.throws(() => read({ ['d'.repeat(40)]: 'x' }), /not a custom field of organizations/);
  });
});
