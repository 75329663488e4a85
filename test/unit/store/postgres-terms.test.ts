import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lookup } from '../../../src/store/search/index-lookups.ts';
import { PgStatement } from '../../../src/store/pg-statement.ts';
import { mergedParts, termsIdsQuery } from '../../../src/store/search/postgres-terms.ts';

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

  it('merge the lists of an AND’s parts where the narrowest is long and the others are known to be not much longer', () => {
    const [first, last, start, com] = ['\uE010john', '\uE010turing', '\uE010\uE00243', '\uE011com'].map(token);
    const merged = (narrowest: Lookup, sizes: Record<string, number>) =>
      mergedParts(narrowest, [first, last, start, com], new Map(Object.entries(sizes))).map((p) => (p as { token: string }).token);
    // The 62,500 Johns and Turings beside 11,111 numbers starting with 43; `com` counted to the last cap only.
    const counted = { '\uE010john': 62_500, '\uE010turing': 62_500, '\uE010\uE00243': 11_111, '\uE011com': 100_000 };
    assert.deepEqual(merged(start, counted), ['\uE010john', '\uE010turing']);
    // A count at a cap is only a floor: the part may hold every row.
    assert.deepEqual(merged(start, { ...counted, '\uE010john': 10_000 }), ['\uE010turing']);
    // Too much longer than the narrowest, or a narrowest so short that probing it is cheap: probed.
    assert.deepEqual(merged(start, { ...counted, '\uE010\uE00243': 3_000 }), []);
    assert.deepEqual(merged(start, { ...counted, '\uE010\uE00243': 999 }), []);
    // Every part at the last cap: as long as each other for all the counts know, merged.
    assert.deepEqual(merged(first, { '\uE010john': 100_000, '\uE010turing': 100_000, '\uE010\uE00243': 100_000, '\uE011com': 100_000 }), [
      '\uE010turing',
      '\uE010\uE00243',
      '\uE011com',
    ]);
    // The query then reads the narrowest and the merged parts as a join of their lists, and probes the rest.
    const statement = new PgStatement();
    const text = termsIdsQuery(statement, 'person', and(first, last, start, com), 1, 0, 100, new Map(Object.entries(counted)));
    assert.equal((text.match(/ join "person_terms"/g) ?? []).length, 2, text);
    assert.equal((text.match(/exists \(/g) ?? []).length, 1, text);
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
