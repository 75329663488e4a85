import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, PostgresAdapter, DummyDriver, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { Lookup } from '../../../src/store/search/index-lookups.ts';
import { termsIdsQuery } from '../../../src/store/search/postgres-terms.ts';

// Compiles queries only: no database behind it.
const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const token = (t: string): Lookup => ({ op: 'token', token: t });
const and = (...of: Lookup[]): Lookup => ({ op: 'and', of });

/** The term the query reads in id order: the one compared in its outermost FROM, not in an EXISTS probe. */
function readTerm(lookup: Lookup, sizes: Map<string, number>): unknown {
  const compiled = termsIdsQuery('person', lookup, 1, 0, 100, sizes).compile(db);
  // `"t0"."term" = $2`: the read table's term parameter.
  const position = /"t0"\."term" = \$(\d+)/.exec(compiled.sql);
  assert.ok(position, compiled.sql);
  return compiled.parameters[Number(position[1]) - 1];
}

describe('PostgreSQL terms lookups', () => {
  it('read an AND from its part with the fewest rows counted', () => {
    const lookup = and(token('\uE011lovelace'), token('\uE0114242'), token('\uE011example'));
    assert.equal(readTerm(lookup, new Map([['\uE011lovelace', 1000], ['\uE0114242', 2], ['\uE011example', 1000]])), '\uE0114242');
    assert.equal(readTerm(lookup, new Map([['\uE011lovelace', 3], ['\uE0114242', 40], ['\uE011example', 1000]])), '\uE011lovelace');
  });

  it('fall back to the kind of term where the counts tie or are missing', () => {
    // A 3-letter word start (breadth 100) against a word (breadth 10): the word, when nothing was counted.
    const lookup = and(token('\uE011\uE003777'), token('\uE011linus'));
    assert.equal(readTerm(lookup, new Map()), '\uE011linus');
    assert.equal(readTerm(lookup, new Map([['\uE011\uE003777', 111], ['\uE011linus', 1000]])), '\uE011\uE003777');
  });
});
