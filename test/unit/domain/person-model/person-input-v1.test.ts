import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PersonField, PersonFieldDefinitions } from '../../../../src/domain/person-fields/definitions.ts';
import { personInputFromV1 } from '../../../../src/domain/person-model/person-input-v1.ts';

const MONEY = 'a'.repeat(40);
const TAGS = 'b'.repeat(40);
const GONE = 'c'.repeat(40);

function field(key: string, type: PersonField['type'], options: number[] | null = null): PersonField {
  return {
    id: key.charCodeAt(0),
    key,
    code: key,
    name: `Field ${type}`,
    type,
    isCustom: true,
    orderNr: 0,
    addVisible: true,
    detailsVisible: true,
    showInAddDeal: false,
    addDealOrder: null,
    important: false,
    importantStageIds: [],
    mandatory: false,
    createdBy: null,
    updatedBy: null,
    addTime: '2026-01-01T00:00:00Z',
    updateTime: '2026-01-01T00:00:00Z',
    options: options && options.map((id) => ({ id, label: `o${id}`, color: null, add_time: '', update_time: '' })),
  };
}

const fields = new PersonFieldDefinitions([field(MONEY, 'monetary'), field(TAGS, 'set', [1, 2, 3])], new Set([GONE]));
const v1 = (body: Record<string, unknown>) => personInputFromV1(body, fields);

describe('v1 person body → v2 input', () => {
  it('takes contacts as a string, a list of strings or a list of objects with v1 booleans', () => {
    assert.deepEqual(v1({ email: 'a@b.example' }).emails, [{ value: 'a@b.example' }]);
    assert.deepEqual(v1({ phone: ['1', '2'] }).phones, [{ value: '1' }, { value: '2' }]);
    assert.deepEqual(v1({ email: [{ value: 'a@b.example', primary: '1', label: 'home' }, { value: 'c@d.example', primary: 0 }] }).emails, [
      { value: 'a@b.example', primary: true, label: 'home' },
      { value: 'c@d.example', primary: false },
    ]);
    assert.deepEqual(v1({ email: '' }).emails, []);
    assert.throws(() => v1({ email: 5 }), /email\[0\] must be a string or an object/);
    assert.throws(() => v1({ email: [{ value: 'a@b.example', primary: 'yes' }] }), /primary must be a boolean/);
    assert.throws(() => v1({ email: [{ value: 'a@b.example', kind: 'x' }] }), /unknown property "kind"/);
  });

  it('reads ids and numbers from numeric strings and from the objects a v1 read shows', () => {
    assert.deepEqual(v1({ owner_id: '7', org_id: { value: 3, name: 'Acme' }, visible_to: '5' }), { owner_id: 7, org_id: 3, visible_to: 5 });
    assert.equal(v1({ org_id: '' }).org_id, null);
    assert.equal(v1({ org_id: 0 }).org_id, null);
    assert.throws(() => v1({ owner_id: 'me' }), /owner_id must be an integer/);
    assert.throws(() => v1({ owner_id: -1 }), /owner_id must be a positive integer/);
    assert.throws(() => v1({ visible_to: '3.5' }), /visible_to must be an integer/);
  });

  it('lets label replace label_ids, unless it is their first, and takes label_ids as strings', () => {
    assert.deepEqual(v1({ label_ids: ['4', 5] }).label_ids, [4, 5]);
    assert.deepEqual(v1({ label_ids: '4,5' }).label_ids, [4, 5]);
    assert.deepEqual(v1({ label: '6' }).label_ids, [6]);
    assert.deepEqual(v1({ label_ids: [4, 5], label: 6 }).label_ids, [6]);
    assert.deepEqual(v1({ label_ids: [4, 5], label: 4 }).label_ids, [4, 5]);
    assert.deepEqual(v1({ label: null }).label_ids, []);
  });

  it('gathers postal_address and its postal_address_<part> keys', () => {
    assert.deepEqual(v1({ postal_address: '1 Main St', postal_address_locality: 'Springfield' }).postal_address, { value: '1 Main St', locality: 'Springfield' });
    assert.equal(v1({ postal_address: '' }).postal_address, null);
    assert.equal(v1({ name: 'X' }).postal_address, undefined);
  });

  it('turns flat custom keys and their parts into custom_fields, leaves unknown plain keys out', () => {
    const input = v1({ name: 'X', [MONEY]: '12.5', [`${MONEY}_currency`]: 'EUR', [TAGS]: '1,3', unknown: 1, active_flag: true });
    assert.deepEqual(input, { name: 'X', custom_fields: { [MONEY]: { value: 12.5, currency: 'EUR' }, [TAGS]: [1, 3] } });
    assert.deepEqual(v1({ [TAGS]: [] }).custom_fields, { [TAGS]: null });
    assert.deepEqual(v1({ [TAGS]: ['2'] }).custom_fields, { [TAGS]: [2] });
    assert.deepEqual(v1({ [GONE]: 'x' }).custom_fields, { [GONE]: 'x' }, 'a deleted field passes on, for the write to ignore');
    assert.throws(() => v1({ ['d'.repeat(40)]: 'x' }), /is not a custom field/);
    assert.throws(() => v1({ [`${MONEY}_until`]: 'x', [MONEY]: 1 }), /has no part "until"/);
    assert.throws(() => v1({ [`${MONEY}_currency`]: 'EUR' }), /sent without/);
  });
});
