import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../../../src/store/unavailable.ts';
import { type WriteTurnMessage, WriteTurnQueue, writeTurnsOver } from '../../../src/store/write-turns.ts';

describe('WriteTurnQueue (the primary of serve --workers N)', () => {
  const queueWithGrants = () => {
    const granted: string[] = [];
    return { granted, queue: new WriteTurnQueue<string>((to) => granted.push(to)) };
  };

  it('grants one process at a time, the others in the order they asked', () => {
    const { granted, queue } = queueWithGrants();
    queue.take('a');
    queue.take('b');
    queue.take('c');
    assert.deepEqual(granted, ['a']);
    queue.give('a');
    assert.deepEqual(granted, ['a', 'b']);
    queue.give('b');
    queue.give('c');
    assert.deepEqual(granted, ['a', 'b', 'c']);
    assert.equal(queue.holder, undefined);
  });

  it('ignores a give from a process that does not hold the turn, and a second ask from one already asking', () => {
    const { granted, queue } = queueWithGrants();
    queue.take('a');
    queue.take('b');
    queue.take('b');
    queue.take('a');
    queue.give('b');
    assert.equal(queue.holder, 'a');
    queue.give('a');
    queue.give('b');
    assert.deepEqual(granted, ['a', 'b']);
    assert.equal(queue.holder, undefined);
  });

  it('passes on the turn of a process that is forgotten while holding it, and drops one forgotten while waiting', () => {
    const { granted, queue } = queueWithGrants();
    queue.take('a');
    queue.take('b');
    queue.take('c');
    queue.forget('b');
    queue.forget('a');
    assert.deepEqual(granted, ['a', 'c']);
    assert.equal(queue.holder, 'c');
  });
});

describe('writeTurnsOver (a worker asking its primary)', () => {
  const channel = () => {
    const sent: WriteTurnMessage['personsdWriteTurn'][] = [];
    let listener: (message: unknown) => void = () => undefined;
    return {
      sent,
      grant: () => listener({ personsdWriteTurn: 'granted' }),
      channel: {
        send: (message: WriteTurnMessage) => sent.push(message.personsdWriteTurn),
        onMessage: (l: (message: unknown) => void) => {
          listener = l;
        },
      },
    };
  };
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    await sleep(0);
    return done;
  };

  it('has one request out at a time and hands the turns to its own askers in order', async () => {
    const { sent, grant, channel: c } = channel();
    const turns = writeTurnsOver(c, 5_000);
    const first = turns.take();
    const second = turns.take();
    assert.deepEqual(sent, ['take']);
    grant();
    assert.equal(await settled(first), true);
    assert.equal(await settled(second), false);
    turns.give();
    assert.deepEqual(sent, ['take', 'give', 'take']);
    grant();
    assert.equal(await settled(second), true);
    turns.give();
    assert.deepEqual(sent, ['take', 'give', 'take', 'give']);
  });

  it('fails a turn that does not come in time as SQLite fails a lock it waited for (503), and gives back a late grant', async () => {
    const { sent, grant, channel: c } = channel();
    const turns = writeTurnsOver(c, 20);
    const error = await turns.take().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error);
    assert.equal((error as { code?: string }).code, 'SQLITE_BUSY');
    assert.equal(isDatabaseUnavailable(error), true);
    grant();
    assert.deepEqual(sent, ['take', 'give']);
  });

  it('lets a late grant serve an asker that came after the timeout, without asking twice', async () => {
    const { sent, grant, channel: c } = channel();
    const turns = writeTurnsOver(c, 20);
    await turns.take().catch(() => undefined);
    const later = turns.take();
    // The first request is still out (the primary would ignore a second ask from this process).
    assert.deepEqual(sent, ['take']);
    grant();
    assert.equal(await settled(later), true);
    turns.give();
    assert.deepEqual(sent, ['take', 'give']);
  });
});
