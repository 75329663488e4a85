import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseV1Sort } from '../../../src/domain/v1-sort.ts';

const FIELDS = ['id', 'name', 'add_time'] as const;

describe('v1 sort parameter', () => {
  it('reads "field ASC, field2 DESC", direction optional and in any case', () => {
    assert.deepEqual(parseV1Sort('name ASC, add_time desc', FIELDS), [
      { field: 'name', direction: 'asc' },
      { field: 'add_time', direction: 'desc' },
    ]);
    assert.deepEqual(parseV1Sort('  id ', FIELDS), [{ field: 'id', direction: 'asc' }]);
    assert.deepEqual(parseV1Sort(undefined, FIELDS), []);
    assert.deepEqual(parseV1Sort('', FIELDS), []);
  });

  it('refuses unknown fields, directions, repeats and stray words', () => {
    assert.throws(() => parseV1Sort('email ASC', FIELDS), /cannot sort by "email"/);
    assert.throws(() => parseV1Sort('name UP', FIELDS), /not "field ASC"/);
    assert.throws(() => parseV1Sort('name ASC extra', FIELDS), /not "field ASC"/);
    assert.throws(() => parseV1Sort('name, name DESC', FIELDS), /named twice/);
    assert.throws(() => parseV1Sort('name,', FIELDS), /not "field ASC"/);
  });
});
