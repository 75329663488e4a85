import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { MergeStep } from './search-index-backend.js';

/*
 * FTS5 merge steps on a connection of their own, in a worker thread. A step rewrites up to its number of pages of one
 * table (measured at 100,000 persons: the terms table in 71 steps of 64 pages, 761 ms in all, up to 30 ms a step); on
 * the thread that serves requests every step stalls every request, so the index could only be merged a step per
 * timer tick, and at 1,000,000 persons a merge took minutes. Here the steps run beside the requests: searches read
 * (WAL readers never wait for a writer), and a write that arrives during a step waits for it, as it waits for any
 * other writer. SearchIndexUpkeep sends steps only once writes pause.
 */

// Plain CommonJS evaluated in the worker: it must not depend on the TypeScript loader the main thread runs under.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const table = '"' + message.table.replace(/"/g, '""') + '"';
    // The write lock first: a step that began reading would fail at once if a commit came in between.
    db.exec('begin immediate');
    // Timed from the lock on: the step itself, not the wait for a writer before it.
    const started = performance.now();
    try {
      db.prepare('insert into ' + table + ' (' + table + ', rank) values (?, ?)').run('merge', message.pages);
      db.exec('commit');
    } finally {
      if (db.inTransaction) db.exec('rollback');
    }
    parentPort.postMessage({ id: message.id, ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.message) });
  }
});
`;

export interface FtsMerger {
  merge: MergeStep;
  /** Seconds the worker has spent in merge steps so far: on this machine's cores, beside the requests. */
  secondsMerging(): number;
  stop(): Promise<void>;
}

/** The worker starts at the first step: most stores (CLI commands, tests) never merge. */
export function ftsMerger(path: string): FtsMerger {
  let started: ReturnType<typeof startWorker> | undefined;
  return {
    merge(table, pages) {
      started ??= startWorker(path);
      return started.merge(table, pages);
    },
    secondsMerging: () => started?.secondsMerging() ?? 0,
    async stop() {
      await started?.stop();
    },
  };
}

function startWorker(path: string): FtsMerger {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path } });
  worker.unref();
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let lastId = 0;
  const failAll = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  let msMerging = 0;
  worker.on('message', (reply: { id: number; ms?: number; error?: string }) => {
    msMerging += reply.ms ?? 0;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error === undefined) waiting?.resolve();
    else waiting?.reject(new Error(`merging the search index failed: ${reply.error}`));
  });
  // A failed merger costs only merging: the index stays correct, and the caller's step reports the error.
  worker.on('error', (error) => failAll(error));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('exit', () => failAll(new Error('the search index merger stopped')));
  return {
    secondsMerging: () => msMerging / 1000,
    merge(table, pages) {
      const id = ++lastId;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Held while a step runs: a step awaited with nothing else left to do must not let the process exit.
        worker.ref();
        worker.postMessage({ id, table, pages });
      });
    },
    async stop() {
      worker.ref(); // keeps the process alive until the worker has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
