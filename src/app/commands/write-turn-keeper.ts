import type { EventEmitter } from 'node:events';
import { WriteTurnQueue, isWriteTurnMessage } from '../../store/write-turns.js';

/** What the keeper needs of a worker: node:cluster's `Worker` has it. */
interface TurnTaker {
  send(message: unknown, callback: (error: Error | null) => void): unknown;
}

/**
 * The primary of `serve --workers N` hands out SQLite write turns (store/write-turns.ts) to the workers of `cluster`
 * (node:cluster): a worker asks, waits for `granted`, writes, gives the turn back. A worker that exits or loses its
 * channel is forgotten, holding or waiting.
 */
export function keepWriteTurns(cluster: EventEmitter): void {
  const queue: WriteTurnQueue<TurnTaker> = new WriteTurnQueue((worker) => {
    // A worker that died a moment ago cannot take its turn: the next one gets it (after this grant has returned).
    worker.send({ personsdWriteTurn: 'granted' }, (error) => {
      if (error) setImmediate(() => queue.forget(worker));
    });
  });
  cluster.on('message', (worker: TurnTaker, message: unknown) => {
    if (!isWriteTurnMessage(message)) return;
    if (message.personsdWriteTurn === 'take') queue.take(worker);
    else if (message.personsdWriteTurn === 'give') queue.give(worker);
  });
  cluster.on('disconnect', (worker: TurnTaker) => queue.forget(worker));
  cluster.on('exit', (worker: TurnTaker) => queue.forget(worker));
}
