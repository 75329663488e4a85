import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RARE_ROWS, matchExpression, withAndsOutside, withRarestParts } from '../../../src/store/search/fts5-queries.ts';
import type { Lookup } from '../../../src/store/search/index-lookups.ts';

const token = (text: string): Lookup => ({ op: 'token', token: text });
const and = (...of: Lookup[]): Lookup => ({ op: 'and', of });
const or = (...of: Lookup[]): Lookup => ({ op: 'or', of });

/** The ids a lookup finds, given the ids each token is in: what FTS5 answers, by set arithmetic. */
function ids(lookup: Lookup, index: Map<string, Set<number>>, all: number[]): Set<number> {
  switch (lookup.op) {
    case 'token':
      return index.get(lookup.token) ?? new Set();
    case 'and': {
      const parts = lookup.of.map((part) => ids(part, index, all));
      return new Set(all.filter((id) => parts.every((part) => part.has(id))));
    }
    case 'or': {
      const parts = lookup.of.map((part) => ids(part, index, all));
      return new Set(all.filter((id) => parts.some((part) => part.has(id))));
    }
    case 'not': {
      const except = ids(lookup.except, index, all);
      return new Set([...ids(lookup.of, index, all)].filter((id) => !except.has(id)));
    }
  }
}

function randomLookup(depth: number, tokens: string[], random: () => number): Lookup {
  if (depth === 0 || random() < 0.3) return token(tokens[Math.floor(random() * tokens.length)]);
  const width = 2 + Math.floor(random() * 3);
  const parts = Array.from({ length: width }, () => randomLookup(depth - 1, tokens, random));
  const pick = random();
  if (pick < 0.45) return { op: 'and', of: parts };
  if (pick < 0.9) return { op: 'or', of: parts };
  return { op: 'not', of: parts[0], except: parts[1] };
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

describe('FTS5 match expressions', () => {
  it('move an AND out of an OR inside an AND, each branch with the AND\'s other parts', () => {
    const lookup = and(or(token('ada'), and(token('ad'), token('da'))), token('turing'), token('500000'));
    assert.deepEqual(withAndsOutside(lookup), or(and(token('turing'), token('500000'), token('ada')), and(token('turing'), token('500000'), token('ad'), token('da'))));
    assert.equal(matchExpression(lookup), '(("turing" AND "500000" AND "ada") OR ("turing" AND "500000" AND "ad" AND "da"))');
  });

  it('leave ORs of plain tokens, and ORs of more than four alternatives, where they are', () => {
    const plain = and(or(token('a'), token('b')), token('c'));
    assert.deepEqual(withAndsOutside(plain), plain);
    const wide = and(or(and(token('a'), token('b')), token('c'), token('d'), token('e'), token('f')), token('g'));
    assert.deepEqual(withAndsOutside(wide), wide);
  });

  it('find the same rows as the lookup as written, for any lookup', () => {
    const random = seeded(7);
    const tokens = ['t0', 't1', 't2', 't3', 't4', 't5'];
    const all = Array.from({ length: 40 }, (_, id) => id);
    for (let round = 0; round < 300; round++) {
      const index = new Map(tokens.map((t) => [t, new Set(all.filter(() => random() < 0.4))]));
      const lookup = randomLookup(4, tokens, random);
      assert.deepEqual([...ids(withAndsOutside(lookup), index, all)].sort(), [...ids(lookup, index, all)].sort(), JSON.stringify(lookup));
    }
  });

  it('quote tokens, doubling their quotes', () => {
    assert.equal(matchExpression(and(token('o"brien'), token('x'))), '("o""brien" AND "x")');
  });

  it('read an AND holding a rare part as that part alone, and keep the others, and what is excluded, as written', () => {
    const sizes = new Map([['42189', 1], ['wilson', 62_000], ['example', 100], ['com', 100], ['ti', 100], ['im', 100], ['key', 1]]);
    const email = and(token('wilson'), token('42189'), token('example'), token('com'), or(token('tim'), and(token('ti'), token('im'))));
    assert.deepEqual(withRarestParts(email, sizes), token('42189'));
    const common = and(token('wilson'), token('example'), or(token('tim'), and(token('ti'), token('im'))));
    assert.deepEqual(withRarestParts(common, sizes), common, 'no part is rare: uncounted tokens count as common');
    const columns = or(and(token('wilson'), token('42189')), and(token('wilson'), token('42189')), and(token('example'), token('com')));
    assert.deepEqual(withRarestParts(columns, sizes), or(token('42189'), and(token('example'), token('com'))), 'alternatives that become one are read once');
    const excluded = { op: 'not' as const, of: email, except: and(token('key'), token('com')) };
    assert.deepEqual(withRarestParts(excluded, sizes), { op: 'not', of: token('42189'), except: and(token('key'), token('com')) });
    assert.equal(withRarestParts(and(token('a'), token('b')), new Map([['a', RARE_ROWS + 1], ['b', 5_000]])).op, 'and', 'just above the line');
  });

  it('find every row the lookup as written finds, for any lookup and any counts', () => {
    const random = seeded(11);
    const tokens = ['t0', 't1', 't2', 't3', 't4', 't5'];
    const all = Array.from({ length: 40 }, (_, id) => id);
    for (let round = 0; round < 300; round++) {
      const index = new Map(tokens.map((t) => [t, new Set(all.filter(() => random() < 0.4))]));
      const sizes = new Map(tokens.map((t) => [t, random() < 0.5 ? Math.floor(random() * RARE_ROWS) : 1_000]));
      const lookup = randomLookup(4, tokens, random);
      const narrowed = ids(withRarestParts(lookup, sizes), index, all);
      for (const id of ids(lookup, index, all)) assert.ok(narrowed.has(id), `${id} lost from ${JSON.stringify(lookup)}`);
    }
  });
});
