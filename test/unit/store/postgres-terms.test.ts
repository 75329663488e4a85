import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lookup } from '../../../src/store/search/index-lookups.ts';
import { PgStatement } from '../../../src/store/pg-statement.ts';
import { termsIdsQuery } from '../../../src/store/search/postgres-terms.ts';

const token = (t: string): Lookup => ({ op: 'token', token: t });
const and = (...of: Lookup[]): Lookup => ({ op: 'and', of });

/** The term the query reads in id order: the one compared in its outermost FROM, not in an EXISTS probe. */
function readTerm(lookup: Lookup, sizes: Map<string, number>): unknown {
  const statement = new PgStatement();
  const text = termsIdsQuery(statement, 'person', lookup, 1, 0, 100, sizes);
  // `"t0"."term" = $4`: the read table's term parameter.
  const position = /"t0"\."term" = \$(\d+)/.exec(text);
  assert.ok(position, text);
  return statement.parameters[Number(position[1]) - 1];
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

  it('keep every term out of the SQL text, each one a parameter', () => {
    const tricky = "o'brien\"; drop table persons; --";
    const lookup: Lookup = { op: 'not', of: and(token(tricky), { op: 'or', of: [token('\uE011ada'), token(`${tricky}2`)] }), except: token('x$1') };
    const statement = new PgStatement();
    const text = termsIdsQuery(statement, 'person', lookup, 7, 42, 100, new Map());
    assert.ok(!text.includes("o'brien") && !text.includes('x$1'), text);
    for (const term of [tricky, '\uE011ada', `${tricky}2`, 'x$1']) assert.ok(statement.parameters.includes(term), term);
    // Every placeholder names a value given, and the company, cursor and page size are among them.
    const highest = Math.max(...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    assert.equal(highest, statement.parameters.length);
    assert.deepEqual(statement.parameters.slice(0, 3), [7, 42, 100]);
  });
});
