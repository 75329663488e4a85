import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityRowsOf } from '../../../../src/domain/identity/identity-writes.ts';
import { applyPersonInput } from '../../../../src/domain/person-model/person-input.ts';
import { emptyPersonValues } from '../../../../src/domain/person-model/person-row.ts';

/* What an update rewrites of a person's contact rows and match keys: only what the change touched. */
describe('identityRowsOf', () => {
  const now = '2026-12-06 12:00:00';
  const before = applyPersonInput(
    emptyPersonValues(1, now),
    { name: 'Grace Hopper', emails: [{ value: 'grace@navy.example' }], phones: [{ value: '+1 415 555 0101' }] } as never,
    true,
    now,
  );
  const edited = (input: Record<string, unknown>) => applyPersonInput(before, input as never, false, now);

  it('a create writes every contact row and every match key', () => {
    const { rows, phoneKeys } = identityRowsOf(before, undefined);
    assert.deepEqual(rows.contacts?.map((c) => c.kind), ['email', 'phone']);
    assert.equal(rows.contactKinds, undefined, 'every kind');
    assert.deepEqual(rows.matchKeys?.map((k) => k.rule).sort(), ['domain_surname', 'name']);
    assert.deepEqual(phoneKeys, ['+14155550101']);
  });

  it('new phones rewrite the phone rows alone, and no match key (none derives from a phone)', () => {
    const { rows, phoneKeys } = identityRowsOf(edited({ phones: [{ value: '+1 415 555 0202' }] }), undefined, before);
    assert.deepEqual(rows.contacts?.map((c) => [c.kind, c.normalized]), [['phone', '+14155550202']]);
    assert.deepEqual(rows.contactKinds, ['phone']);
    assert.equal(rows.matchKeys, undefined);
    assert.deepEqual(phoneKeys, ['+14155550202']);
  });

  it('new emails rewrite the email rows and the match keys (an email domain is one), and still tell the phone keys', () => {
    const { rows, phoneKeys } = identityRowsOf(edited({ emails: [{ value: 'hopper@cobol.example' }] }), undefined, before);
    assert.deepEqual(rows.contacts?.map((c) => c.kind), ['email']);
    assert.deepEqual(rows.contactKinds, ['email']);
    assert.ok(rows.matchKeys?.some((k) => k.rule === 'domain_surname' && k.key.startsWith('cobol.example|')), JSON.stringify(rows.matchKeys));
    assert.deepEqual(phoneKeys, ['+14155550101']);
  });

  it('a new name rewrites the match keys alone; an edit of neither rewrites nothing', () => {
    const renamed = identityRowsOf(edited({ name: 'Grace Brewster Hopper' }), undefined, before);
    assert.equal(renamed.rows.contacts, undefined);
    assert.ok(renamed.rows.matchKeys && renamed.rows.matchKeys.length > 0);
    assert.equal(renamed.phoneKeys, undefined);
    const untouched = identityRowsOf(edited({ job_title: 'Rear Admiral' }), undefined, before);
    assert.deepEqual(untouched.rows, { contacts: undefined, contactKinds: [], matchKeys: undefined });
  });
});
