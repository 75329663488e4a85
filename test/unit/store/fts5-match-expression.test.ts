import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchExpression, withAndsOutside } from '../../../src/store/search/fts5-queries.ts';
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
});
