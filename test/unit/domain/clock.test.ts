import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { advanceClock, clockState, freezeClock, now, resetClock } from '../../../src/domain/clock.ts';
import { nowStored } from '../../../src/domain/time.ts';

describe('clock', () => {
  afterEach(resetClock);

  it('runs with real time until told otherwise', () => {
    assert.ok(Math.abs(now() - Date.now()) < 1000);
    assert.deepEqual(clockState(), { frozenAt: null, offsetMs: 0 });
  });

  it('stands still when frozen and moves by exact amounts', () => {
    freezeClock(Date.UTC(2030, 0, 1));
    assert.equal(nowStored(), '2030-01-01T00:00:00Z');
    advanceClock(61_000);
    assert.equal(nowStored(), '2030-01-01T00:01:01Z');
    assert.equal(now(), now());
  });

  it('keeps running, ahead of real time, when advanced unfrozen', () => {
    advanceClock(86_400_000);
    const ahead = now() - Date.now();
    assert.ok(ahead >= 86_400_000 - 1000 && ahead <= 86_400_000 + 1000);
  });

  it('never moves back', () => {
    assert.throws(() => advanceClock(-1), RangeError);
  });
});
