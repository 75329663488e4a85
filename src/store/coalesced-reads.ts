import DataLoader from 'dataloader';
import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';

/*
 * On PostgreSQL each statement costs a round trip: personsd's CPU to send it and parse the answer, and a backend's
 * to bind, run and answer it. Under load, requests for single rows arrive together (the settings signal's shared
 * round trip releases every waiting request at once), so reads of one row by id that start in the same turn of the
 * event loop go out as one statement per company (DataLoader gathers them; nothing is cached between turns). Every
 * statement starts after the calls it answers, so each caller still sees every write committed before it asked.
 * Inside a transaction (its own connection, its own snapshot) and on SQLite (a read is a few µs in-process) each
 * read goes out alone.
 */

interface Key {
  companyId: number;
  id: number;
}

/** Ids per statement: a bound on the statement's size, far above what one turn of the loop gathers. */
const MAX_IDS = 500;

export interface CoalescedReads<Row> {
  /** The row with this id, if the company has it. */
  one(db: Executor, companyId: number, id: number): Promise<Row | undefined>;
  /** The rows among these ids the company has, in no particular order. */
  many(db: Executor, companyId: number, ids: readonly number[]): Promise<Row[]>;
}

export function coalescedById<Row extends { id: number }>(
  one: (db: Executor, companyId: number, id: number) => Promise<Row | undefined>,
  many: (db: Executor, companyId: number, ids: number[]) => Promise<Row[]>,
): CoalescedReads<Row> {
  const loaders = new WeakMap<Executor, DataLoader<Key, Row | undefined>>();

  const readTogether = (db: Executor) => async (keys: readonly Key[]) => {
    const companies = new Map<number, number[]>();
    for (const { companyId, id } of keys) {
      const ids = companies.get(companyId);
      if (ids === undefined) companies.set(companyId, [id]);
      else ids.push(id);
    }
    const found = new Map<string, Row>();
    await Promise.all(
      [...companies].map(async ([companyId, ids]) => {
        const rows = ids.length === 1 ? [await one(db, companyId, ids[0])] : await many(db, companyId, [...new Set(ids)]);
        for (const row of rows) if (row !== undefined) found.set(`${companyId}:${row.id}`, row);
      }),
    );
    // A caller may change the row it gets: a second caller of the same id gets a copy.
    const given = new Set<string>();
    return keys.map(({ companyId, id }) => {
      const key = `${companyId}:${id}`;
      const row = found.get(key);
      if (row !== undefined && given.has(key)) return { ...row };
      given.add(key);
      return row;
    });
  };

  /** The loader gathering this database's reads, or none where reads go alone. */
  const loaderFor = (db: Executor): DataLoader<Key, Row | undefined> | undefined => {
    if (db.isTransaction || dialectOf(db).name !== 'postgres') return undefined;
    let loader = loaders.get(db);
    if (loader === undefined) {
      loader = new DataLoader(readTogether(db), { cache: false, maxBatchSize: MAX_IDS, batchScheduleFn: (run) => setImmediate(run) });
      loaders.set(db, loader);
    }
    return loader;
  };

  return {
    one(db, companyId, id) {
      const loader = loaderFor(db);
      return loader ? loader.load({ companyId, id }) : one(db, companyId, id);
    },
    async many(db, companyId, ids) {
      if (ids.length === 0) return [];
      const loader = loaderFor(db);
      if (!loader) return many(db, companyId, [...ids]);
      const rows: Row[] = [];
      for (const row of await loader.loadMany(ids.map((id) => ({ companyId, id })))) {
        if (row instanceof Error) throw row;
        if (row !== undefined) rows.push(row);
      }
      return rows;
    },
  };
}
