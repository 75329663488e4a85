import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { together } from '../../../src/domain/together.ts';

/** A step that ends after `ms`, as `outcome` says. */
function after(ms: number, outcome: () => void): Promise<void> {
  return new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        outcome();
        resolve();
      } catch (err) {
        reject(err);
      }
    }, ms),
  );
}

describe('together', () => {
  it('waits for every step', async () => {
    const done: string[] = [];
    await together([after(20, () => done.push('slow')), after(1, () => done.push('fast'))]);
    assert.deepEqual(done, ['fast', 'slow']);
  });

  it('throws the first failure only once the other steps have finished', async () => {
    const done: string[] = [];
    const failure = new Error('the history insert failed');
    await assert.rejects(
      together([
        after(1, () => {
          throw failure;
        }),
        after(20, () => done.push('search row written')),
      ]),
      (err) => err === failure,
    );
    // A rollback that followed at once would race the step still sending its statement.
    assert.deepEqual(done, ['search row written']);
  });
});
