import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { organizationInputFromV1 } from '../../../../src/domain/organizations/organization-input-v1.ts';

describe('organizationInputFromV1', () => {
  it('reads numeric strings, {value} objects, label beside label_ids and the flat address', () => {
    assert.deepEqual(
      organizationInputFromV1({ name: 'Acme', owner_id: { value: 4, name: 'Ann' }, visible_to: '7', label_ids: '1, 2', add_time: '2024-01-02 03:04:05', address: '1 Main St', address_locality: 'Springfield', id: 9, people_count: 3 }),
      { name: 'Acme', owner_id: 4, visible_to: 7, label_ids: [1, 2], add_time: '2024-01-02 03:04:05', address: { value: '1 Main St', locality: 'Springfield' } },
    );
    assert.deepEqual(organizationInputFromV1({ label: 2, label_ids: [2, 3] }).label_ids, [2, 3], 'label that is the first keeps the others');
    assert.deepEqual(organizationInputFromV1({ label: '5', label_ids: [2, 3] }).label_ids, [5], 'another label replaces them');
    assert.deepEqual(organizationInputFromV1({ label: null }).label_ids, []);
    assert.equal(organizationInputFromV1({ address: '', address_country: null }).address, null, 'an empty address clears it');
  });

  it('names the key of a value it refuses, custom keys included', () => {
    assert.throws(() => organizationInputFromV1({ owner_id: 'me' }), /owner_id/);
    assert.throws(() => organizationInputFromV1({ owner_id: 0 }), /owner_id must be a positive integer/);
    assert.throws(() => organizationInputFromV1({ visible_to: '3.5' }), /visible_to/);
    assert.throws(() => organizationInputFromV1({ label_ids: ['x'] }), /label_ids\[0\]/);
    assert.throws(() => organizationInputFromV1({ name: ['a'] }), /name must be a string/);
    assert.throws(() => organizationInputFromV1({ ['d'.repeat(40)]: 'x' }), /not a custom field of organizations/);
    assert.doesNotThrow(() => organizationInputFromV1({ ['d'.repeat(40)]: null }), 'null is no value');
  });
});
