import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Executor } from '../../../src/store/executor.ts';
import type { Lookup } from '../../../src/store/search/index-lookups.ts';
import { MAX_RARE_REMEMBERED, type TermCounting, termSizes } from '../../../src/store/search/term-sizes.ts';

/*
 * What term-sizes.ts remembers of the counts, against a backend that counts from a table in memory and records what
 * it was asked: common counts for ten minutes, rare ones for ten seconds, the rare ones most recently used kept.
 */
function countingFrom(rows: Record<string, number>, name: string) {
  const asked: string[] = [];
  const counting: TermCounting = {
    name,
    firstCap: 100,
    async count(_db, _entity, _companyId, terms, cap) {
      asked.push(...terms);
      return new Map(terms.map((term) => [term, Math.min(rows[term] ?? 0, cap)]));
    },
  };
  return { counting, asked };
}

const and = (...tokens: string[]): Lookup => ({ op: 'and', of: tokens.map((token) => ({ op: 'token', token })) });
// The counting above never reads it; in a transaction, counts are not gathered across the turn (gathered-reads.ts).
const db = { isTransaction: true } as unknown as Executor;

describe('remembered term counts', () => {
  it('keeps a common count for ten minutes and a rare one for ten seconds', async () => {
    const { counting, asked } = countingFrom({ common: 150, rare: 3 }, 'remembered-ttl');
    const sizes = () => termSizes(db, 'person', 1, and('common', 'rare', 'none'), counting, now);
    let now = 1_000;
    assert.deepEqual(Object.fromEntries(await sizes()), { common: 100, rare: 3, none: 0 });
    assert.deepEqual(asked.splice(0), ['common', 'rare', 'none']);

    now += 9_000;
    assert.deepEqual(Object.fromEntries(await sizes()), { common: 100, rare: 3, none: 0 });
    assert.deepEqual(asked.splice(0), [], 'nothing counted again within ten seconds');

    now = 1_000 + 10_001;
    await sizes();
    assert.deepEqual(asked.splice(0), ['rare', 'none'], 'the rare counts are counted again after ten seconds');

    now = 1_000 + 600_001;
    await sizes();
    assert.deepEqual(asked.splice(0), ['common', 'rare', 'none'], 'the common count after ten minutes');
  });

  it('keeps the rare counts in use while one-off terms pass through', async () => {
    const { counting, asked } = countingFrom({ repeated: 2, first: 1 }, 'remembered-lru');
    const now = 5_000;
    await termSizes(db, 'person', 1, and('first', 'repeated'), counting, now);
    const oneOffs = Array.from({ length: MAX_RARE_REMEMBERED }, (_, k) => `once${k}`);
    for (let start = 0; start < oneOffs.length; start += 500) {
      await termSizes(db, 'person', 1, and('repeated', ...oneOffs.slice(start, start + 500)), counting, now);
    }
    asked.splice(0);
    await termSizes(db, 'person', 1, and('repeated', 'first'), counting, now);
    assert.deepEqual(asked, ['first'], 'the term asked for all along is still remembered, the one asked once at the start is not');
  });

  it('counts nothing more of an AND with a part remembered to hold no rows', async () => {
    const { counting, asked } = countingFrom({ word: 500, number: 1 }, 'remembered-empty');
    const now = 7_000;
    await termSizes(db, 'person', 1, and('absent', 'word'), counting, now);
    asked.splice(0);
    const either: Lookup = { op: 'or', of: [and('absent', 'number'), and('word', 'number')] };
    const sizes = await termSizes(db, 'person', 1, either, counting, now);
    assert.deepEqual(asked, ['number'], 'the number is counted for the AND that can use it');
    assert.deepEqual(Object.fromEntries(sizes), { absent: 0, word: 100, number: 1 });

    asked.splice(0);
    await termSizes(db, 'person', 1, and('absent', 'another'), counting, now);
    assert.deepEqual(asked, []);
  });
});
