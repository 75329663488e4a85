import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { keepWriteTurns } from '../../../src/app/commands/write-turn-keeper.ts';

/** A stand-in for a node:cluster worker: records what the primary sends it, and can fail to receive. */
class FakeWorker {
  received: unknown[] = [];
  gone = false;
  send(message: unknown, callback: (error: Error | null) => void): boolean {
    if (this.gone) {
      callback(new Error('channel closed'));
      return false;
    }
    this.received.push(message);
    callback(null);
    return true;
  }
  get grants(): number {
    return this.received.filter((m) => (m as { personsdWriteTurn?: string }).personsdWriteTurn === 'granted').length;
  }
}

describe('keepWriteTurns (the primary of serve --workers N)', () => {
  const setUp = () => {
    const cluster = new EventEmitter();
    keepWriteTurns(cluster);
    const [a, b, c] = [new FakeWorker(), new FakeWorker(), new FakeWorker()];
    const ask = (worker: FakeWorker, turn: 'take' | 'give') => cluster.emit('message', worker, { personsdWriteTurn: turn });
    return { cluster, a, b, c, ask };
  };

  it('grants turns one worker at a time, in the order they asked, over their channels', () => {
    const { a, b, ask } = setUp();
    ask(a, 'take');
    ask(b, 'take');
    assert.deepEqual([a.grants, b.grants], [1, 0]);
    ask(a, 'give');
    assert.deepEqual([a.grants, b.grants], [1, 1]);
  });

  it('ignores messages that are not about turns', () => {
    const { cluster, a, ask } = setUp();
    cluster.emit('message', a, { personsdFailure: 'personsd: port taken' });
    cluster.emit('message', a, null);
    assert.equal(a.grants, 0);
    ask(a, 'take');
    assert.equal(a.grants, 1);
  });

  it('passes on the turn of a worker that exits or disconnects holding it, and drops one that exits waiting', () => {
    const { cluster, a, b, c, ask } = setUp();
    ask(a, 'take');
    ask(b, 'take');
    ask(c, 'take');
    cluster.emit('exit', b, null, 'SIGKILL');
    cluster.emit('exit', a, null, 'SIGKILL');
    assert.deepEqual([b.grants, c.grants], [0, 1]);
    ask(a, 'take');
    cluster.emit('disconnect', c);
    assert.equal(a.grants, 2);
  });

  it('passes on a turn whose grant could not be sent, once the failed send has returned', async () => {
    const { a, b, ask } = setUp();
    ask(a, 'take');
    ask(b, 'take');
    b.gone = true;
    ask(a, 'give');
    const c = new FakeWorker();
    ask(c, 'take');
    await nextTurn();
    assert.equal(b.grants, 0);
    assert.equal(c.grants, 1);
  });
});
