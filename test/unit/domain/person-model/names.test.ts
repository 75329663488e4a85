import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { namePartsOf, splitName } from '../../../../src/domain/person-model/names.ts';

describe('names', () => {
  it('splits a full name as Pipedrive does: the last word is the last name', () => {
    assert.deepEqual(splitName('Ada Lovelace'), { first_name: 'Ada', last_name: 'Lovelace' });
    assert.deepEqual(splitName('  Mary Ann   Jones '), { first_name: 'Mary Ann', last_name: 'Jones' });
    assert.deepEqual(splitName('Cher'), { first_name: 'Cher', last_name: null });
  });

  it('accepts parts that make up the name and refuses parts that contradict it', () => {
    assert.deepEqual(namePartsOf('Mary Ann Jones', 'Mary', 'Ann Jones'), { first_name: 'Mary', last_name: 'Ann Jones' });
    assert.deepEqual(namePartsOf('Mary Ann Jones', 'Mary', undefined), { first_name: 'Mary', last_name: 'Ann Jones' });
    assert.deepEqual(namePartsOf('Mary Ann Jones', undefined, 'Jones'), { first_name: 'Mary Ann', last_name: 'Jones' });
    assert.equal(namePartsOf('Mary Ann Jones', 'Grace', 'Hopper'), null);
    assert.equal(namePartsOf('Mary Ann Jones', 'Ann', undefined), null);
  });

  it('splits any name into parts that join back into it', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ'-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const name = words.join(' ');
        const { first_name, last_name } = splitName(name);
        assert.equal([first_name, last_name].filter(Boolean).join(' '), name);
        assert.deepEqual(namePartsOf(name, first_name, last_name), { first_name, last_name });
      }),
    );
  });
});
