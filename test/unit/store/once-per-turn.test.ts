import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oncePerTurn } from '../../../src/store/once-per-turn.ts';

describe('oncePerTurn', () => {
  it('reads once for every call of the same turn, microtasks included, and again in the next turn', async () => {
    // Starts in a timer callback: a read made in the check phase itself would be remembered until the next one.
    await new Promise((resolve) => setTimeout(resolve, 0));
    let reads = 0;
    const version = oncePerTurn(() => ++reads);
    assert.equal(version(), 1);
    assert.equal(version(), 1);
    await Promise.resolve();
    assert.equal(version(), 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(version(), 2);
    assert.equal(version(), 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(version(), 3);
    assert.equal(reads, 3);
  });

  it('does not remember a read that threw', () => {
    let calls = 0;
    const flaky = oncePerTurn(() => {
      calls += 1;
      if (calls === 1) throw new Error('locked');
      return calls;
    });
    assert.throws(() => flaky(), /locked/);
    assert.equal(flaky(), 2);
    assert.equal(flaky(), 2);
  });

  it('reads again within the turn when the version moves', () => {
    let reads = 0;
    let version = 0;
    const value = oncePerTurn(() => ++reads, () => version);
    assert.equal(value(), 1);
    assert.equal(value(), 1);
    version += 1;
    assert.equal(value(), 2);
    assert.equal(value(), 2);
    assert.equal(reads, 2);
  });
});
