import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * In WAL mode a commit appends to the -wal file; a checkpoint later copies those pages into the database file and
 * syncs both. SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, on the thread that
 * commits: here the one thread that serves every request, which then waits for the disk while all requests queue
 * (measured: create went from 1,300 to 2,900 persons/s once checkpoints left the request thread). So a worker
 * thread with its own connection checkpoints instead, every CHECKPOINT_INTERVAL_MS, without blocking writers
 * (PASSIVE). With synchronous=NORMAL this interval also bounds what a power loss can take: the checkpoint syncs the
 * WAL first, so every write older than about one interval is on disk.
 */
export const CHECKPOINT_INTERVAL_MS = 1000;

// Plain CommonJS evaluated in the worker: it must not depend on the TypeScript loader the main thread runs under.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or briefly unavailable: the next tick tries again, and SQLite's own fallback bounds the WAL meanwhile.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs } });
  worker.unref();
  // A failing checkpointer must not take the service down: SQLite's automatic checkpoint still bounds the WAL.
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.ref(); // keeps the process alive until the last checkpoint is done
      worker.postMessage('stop');
      await exited;
    },
  };
}
