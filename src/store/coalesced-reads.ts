import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';

/*
 * On PostgreSQL each statement costs a round trip: personsd's CPU to send it and parse the answer, and a backend's
 * to bind, run and answer it. Under load, requests for single rows arrive together (the settings signal's shared
 * round trip releases every waiting request at once), so reads of one row by id that start in the same turn of the
 * event loop go out as one statement for all of their ids. Every statement starts after the calls it answers, so
 * each caller still sees every write committed before it asked. Inside a transaction (its own connection, its own
 * snapshot) and on SQLite (a read is a few µs in-process) each read goes out alone.
 */

type Waiter<Row> = { id: number; resolve: (row: Row | undefined) => void; reject: (error: unknown) => void };

/** Ids per statement: a bound on the statement's size, far above what one turn of the loop gathers. */
const MAX_IDS = 500;

export function coalescedById<Row extends { id: number }>(
  one: (db: Executor, companyId: number, id: number) => Promise<Row | undefined>,
  many: (db: Executor, companyId: number, ids: number[]) => Promise<Row[]>,
): (db: Executor, companyId: number, id: number) => Promise<Row | undefined> {
  const pending = new Map<Executor, Map<number, Array<Waiter<Row>>>>();

  const flush = (db: Executor, companyId: number, waiters: Array<Waiter<Row>>) => {
    if (waiters.length === 1) {
      const [only] = waiters;
      one(db, companyId, only.id).then(only.resolve, only.reject);
      return;
    }
    many(db, companyId, [...new Set(waiters.map((w) => w.id))]).then(
      (rows) => {
        const byId = new Map(rows.map((row) => [row.id, row]));
        const given = new Set<number>();
        for (const waiter of waiters) {
          const row = byId.get(waiter.id);
          // A caller may change the row it gets: a second caller of the same id gets a copy.
          waiter.resolve(row === undefined || !given.has(waiter.id) ? row : { ...row });
          given.add(waiter.id);
        }
      },
      (error) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  };

  const flushAll = () => {
    const batches = [...pending];
    pending.clear();
    for (const [db, byCompany] of batches) for (const [companyId, waiters] of byCompany) flush(db, companyId, waiters);
  };

  return (db, companyId, id) => {
    if (db.isTransaction || dialectOf(db).name !== 'postgres') return one(db, companyId, id);
    return new Promise((resolve, reject) => {
      if (pending.size === 0) setImmediate(flushAll);
      let byCompany = pending.get(db);
      if (byCompany === undefined) pending.set(db, (byCompany = new Map()));
      let waiters = byCompany.get(companyId);
      if (waiters === undefined) byCompany.set(companyId, (waiters = []));
      waiters.push({ id, resolve, reject });
      if (waiters.length >= MAX_IDS) {
        byCompany.delete(companyId);
        flush(db, companyId, waiters);
      }
    });
  };
}
