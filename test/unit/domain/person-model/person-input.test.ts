import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PersonInput, applyPersonInput } from '../../../../src/domain/person-model/person-input.ts';
import { emptyPersonValues } from '../../../../src/domain/person-model/person-row.ts';

const NOW = '2026-01-01T00:00:00Z';
const create = (input: PersonInput) => applyPersonInput(emptyPersonValues(1, NOW), input, true, NOW);

describe('person input rules', () => {
  it('fills the name parts from the name, and the name from the parts', () => {
    assert.deepEqual([create({ name: 'Ada Lovelace' }).first_name, create({ name: 'Ada Lovelace' }).last_name], ['Ada', 'Lovelace']);
    assert.equal(create({ first_name: 'Grace', last_name: 'Hopper' }).name, 'Grace Hopper');
  });

  it('refuses a create without a name, and names that cannot be', () => {
    assert.throws(() => create({}), /name must be given/);
    assert.throws(() => create({ name: '   ' }), /name must not be empty/);
    assert.throws(() => create({ name: 'Ada Lovelace', first_name: 'Grace', last_name: 'Hopper' }), /name/);
  });

  it('checks contact lists: valid addresses, digits in phones, at most one primary', () => {
    assert.throws(() => create({ name: 'A', emails: [{ value: 'not-an-email' }] }), /emails\[0\]\.value "not-an-email" is not a valid email address/);
    assert.throws(() => create({ name: 'A', phones: [{ value: 'call me' }] }), /phones\[0\]\.value/);
    assert.throws(
      () => create({ name: 'A', emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }] }),
      /at most one may be/,
    );
    const ok = create({ name: 'A', emails: [{ value: 'a@example.com' }] });
    assert.equal(ok.emails[0].value, 'a@example.com');
  });

  it('refuses an unknown visibility and an impossible birthday, and leaves values a change does not send', () => {
    assert.throws(() => create({ name: 'A', visible_to: 2 }), /visible_to must be one of 1, 3, 5, 7/);
    assert.throws(() => create({ name: 'A', birthday: '2025-02-30' }), /birthday must be a real date/);
    const before = create({ name: 'Ada Lovelace', job_title: 'Analyst', visible_to: 7 });
    const after = applyPersonInput(before, { job_title: 'Countess' }, false, NOW);
    assert.equal(after.job_title, 'Countess');
    assert.equal(after.name, 'Ada Lovelace');
    assert.equal(after.visible_to, 7);
  });
});
