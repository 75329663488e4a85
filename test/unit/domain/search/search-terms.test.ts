import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFields, parseTerm, planSearch } from '../../../../src/domain/search/search-plan.ts';

describe('search terms', () => {
  it('folds a term for search and keeps the digits of a phone-like one', () => {
    assert.deepEqual(parseTerm('  Jürgen ', false), { raw: 'Jürgen', text: 'jurgen', digits: null });
    const phone = parseTerm('+33 6 28', false);
    assert.equal(phone.digits, '33628');
    assert.equal(parseTerm('Ada Lovelace', false).digits, null);
  });

  it('needs two characters, or one with an exact match, and at most 1000', () => {
    assert.throws(() => parseTerm('a', false), /at least 2 characters/);
    assert.equal(parseTerm('a', true).text, 'a');
    assert.throws(() => parseTerm('  ', true), /must not be empty/);
    assert.throws(() => parseTerm('x'.repeat(1001), false), /longer than 1000/);
  });

  it('accepts only the fields an entity is searched in, and plans name matches above the rest', () => {
    assert.deepEqual(parseFields(['name', 'email'], ['name', 'email', 'phone']), ['name', 'email']);
    assert.throws(() => parseFields(['colour'], ['name']), /colour/);
    const plan = planSearch('person', parseTerm('ada', false), undefined, false);
    assert.ok(plan.tiers.length > 1);
    assert.ok(plan.tiers.every((tier, i) => i === 0 || tier.score <= plan.tiers[i - 1].score), 'tiers in rank order');
  });
});
