import cluster, { type Worker } from 'node:cluster';
import { WriteTurnQueue, isWriteTurnMessage } from '../../store/write-turns.js';

/**
 * The primary of `serve --workers N` hands out SQLite write turns (store/write-turns.ts): a worker asks, waits for
 * `granted`, writes, gives the turn back. A worker that exits or loses its channel is forgotten, holding or waiting.
 */
export function keepWriteTurns(): void {
  const queue: WriteTurnQueue<Worker> = new WriteTurnQueue((worker) => {
    // A worker that died a moment ago cannot take its turn: the next one gets it (after this grant has returned).
    worker.send({ personsdWriteTurn: 'granted' }, (error: Error | null) => {
      if (error) setImmediate(() => queue.forget(worker));
    });
  });
  cluster.on('message', (worker, message: unknown) => {
    if (!isWriteTurnMessage(message)) return;
    if (message.personsdWriteTurn === 'take') queue.take(worker);
    else if (message.personsdWriteTurn === 'give') queue.give(worker);
  });
  cluster.on('disconnect', (worker) => queue.forget(worker));
  cluster.on('exit', (worker) => queue.forget(worker));
}
