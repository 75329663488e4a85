import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RememberedWhileUnchanged } from '../../../src/domain/remembered-while-unchanged.ts';

/** A memo over a stamp the test moves, counting the reads it lets through. */
function setUp() {
  const state = { stamp: 's1' as string | undefined, reads: 0 };
  const memo = new RememberedWhileUnchanged<string>(() => state.stamp);
  const read = (value: string) => () => {
    state.reads++;
    return Promise.resolve(value);
  };
  return { state, memo, read };
}

describe('RememberedWhileUnchanged', () => {
  it('answers a company from memory while the stamp holds, and reads every company again once it moves', async () => {
    const { state, memo, read } = setUp();
    assert.equal(await memo.get(1, read('a')), 'a');
    assert.equal(await memo.get(1, read('changed')), 'a');
    assert.equal(await memo.get(2, read('b')), 'b', 'another company is its own entry');
    assert.equal(state.reads, 2);
    state.stamp = 's2';
    assert.equal(await memo.get(1, read('a2')), 'a2');
    assert.equal(await memo.get(2, read('b2')), 'b2');
    assert.equal(state.reads, 4);
  });

  it('remembers nothing while the stamp is undefined or unreadable', async () => {
    const { state, memo, read } = setUp();
    state.stamp = undefined;
    await memo.get(1, read('a'));
    await memo.get(1, read('a'));
    assert.equal(state.reads, 2);
    const failing = new RememberedWhileUnchanged<string>(() => Promise.reject(new Error('connection lost')));
    let reads = 0;
    for (let i = 0; i < 2; i++) await failing.get(1, () => Promise.resolve(`read ${++reads}`));
    assert.equal(reads, 2);
  });

  it('keeps only what `keep` allows', async () => {
    const { state, memo, read } = setUp();
    const empty = (value: string) => value === '';
    assert.equal(await memo.get(1, read('some'), { keep: empty }), 'some');
    assert.equal(await memo.get(1, read('more'), { keep: empty }), 'more', 'a value not kept is read again');
    assert.equal(await memo.get(2, read(''), { keep: empty }), '');
    assert.equal(await memo.get(2, read('late'), { keep: empty }), '', 'a kept value is answered');
    assert.equal(state.reads, 3);
  });

  it('does not keep a value read while the stamp moved on: it may predate the newer stamp', async () => {
    const state = { stamp: 's1' };
    const memo = new RememberedWhileUnchanged<string>(() => state.stamp);
    let release!: () => void;
    const slow = memo.get(1, () => new Promise<string>((resolve) => (release = () => resolve('old'))));
    await new Promise((resolve) => setImmediate(resolve));
    state.stamp = 's2';
    assert.equal(await memo.get(2, () => Promise.resolve('other')), 'other');
    release();
    assert.equal(await slow, 'old');
    assert.equal(await memo.get(1, () => Promise.resolve('new')), 'new');
  });
});
