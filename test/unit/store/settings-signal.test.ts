import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type PG from 'pg';
import { SettingsSignal } from '../../../src/store/settings-signal.ts';

/** A stand-in for the listening connection: counts the round trips and answers each when the test says. */
class FakeListener extends EventEmitter {
  roundTrips = 0;
  private waiting: Array<() => void> = [];

  async connect(): Promise<void> {}
  async end(): Promise<void> {}

  query(text: string): Promise<unknown> {
    if (text !== 'select 1') return Promise.resolve({ rows: [] });
    this.roundTrips += 1;
    return new Promise((resolve) => this.waiting.push(() => resolve({ rows: [{ '?column?': 1 }] })));
  }

  /** Answers the round trips sent so far. */
  answer(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  notify(): void {
    this.emit('notification', { channel: 'personsd_credentials' });
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A signal listening on a fake connection, its first stamp answered. */
async function listening() {
  const listener = new FakeListener();
  const signal = new SettingsSignal(() => listener as unknown as PG.Client);
  assert.equal(await signal.stamp(), undefined, 'not listening yet: remember nothing');
  await turn();
  return { listener, signal };
}

/** A stamp, its round trips answered as they are sent. */
async function answered(listener: FakeListener, stamp: Promise<string | undefined>): Promise<string | undefined> {
  for (let i = 0; i < 3; i++) {
    await turn();
    listener.answer();
  }
  return stamp;
}

describe('SettingsSignal', () => {
  it('makes a round trip for every stamp asked without `since`', async () => {
    const { listener, signal } = await listening();
    const first = await answered(listener, signal.stamp());
    const second = await answered(listener, signal.stamp());
    assert.equal(listener.roundTrips, 2);
    assert.equal(first, second, 'nothing changed between them');
  });

  it('answers a request from a round trip that left after it arrived, and sends a new one for a later request', async () => {
    const { listener, signal } = await listening();
    const arrived = performance.now();
    const first = await answered(listener, signal.stamp());
    assert.equal(listener.roundTrips, 1);
    assert.equal(await signal.stamp(arrived), first, 'the same request asks again: no round trip');
    assert.equal(listener.roundTrips, 1);

    listener.notify();
    const later = performance.now();
    const moved = await answered(listener, signal.stamp(later));
    assert.equal(listener.roundTrips, 2, 'a request that arrived after the last round trip left gets its own');
    assert.notEqual(moved, first, 'the notification moved the stamp');
  });

  it('never answers a request from a round trip that left before it arrived, in flight or answered', async () => {
    const { listener, signal } = await listening();
    const early = signal.stamp();
    await turn();
    const arrived = performance.now();
    let lateSettled = false;
    const late = signal.stamp(arrived).finally(() => (lateSettled = true));
    listener.answer();
    await early;
    await turn();
    assert.equal(lateSettled, false, 'the round trip in flight is not shared with a request that arrived after it left');
    await answered(listener, late);
    assert.equal(listener.roundTrips, 2, 'it waited for a round trip of its own');
    assert.equal(await signal.stamp(arrived), await late, 'which answers its later checks');
    assert.equal(listener.roundTrips, 2);
  });

  it('shares a round trip in flight with a request that arrived before it left', async () => {
    const { listener, signal } = await listening();
    const arrived = performance.now();
    const first = signal.stamp();
    const again = signal.stamp(arrived);
    const [a, b] = await Promise.all([answered(listener, first), again]);
    assert.equal(listener.roundTrips, 1);
    assert.equal(a, b);
  });

  it('forgets its answers when the connection is lost', async () => {
    const { listener, signal } = await listening();
    const arrived = performance.now();
    await answered(listener, signal.stamp());
    listener.emit('error', new Error('connection lost'));
    assert.equal(await signal.stamp(arrived), undefined, 'not listening: remember nothing, even for a request a round trip answered');
    await signal.close();
  });
});
