import DataLoader from 'dataloader';
import type { Executor } from './executor.js';

/*
 * On PostgreSQL each statement costs a round trip: personsd's CPU to send it and parse the answer, and a backend's
 * to bind, run and answer it. Under load, requests arrive together (the settings signal's shared round trip
 * releases every waiting request at once), so reads that start in the same turn of the event loop and can share a
 * statement go out as one (DataLoader gathers them; nothing is cached between turns). Every statement starts after
 * the calls it answers, so each caller still sees every write committed before it asked. Inside a transaction (its
 * own connection, its own snapshot) each read goes out alone, and on SQLite too (coalesced-reads.ts).
 */

export interface GatherOptions {
  /** Whether reads on this executor are gathered; by default outside a transaction (callers on SQLite too say more). */
  gathers?: (db: Executor) => boolean;
  /** Keys per statement at most. */
  maxBatchSize?: number;
}

/**
 * A read of keys that, where `gathers(db)`, shares its statement with the reads of the same turn. `groupOf` names
 * the keys one statement can answer together (the same company, say); `read` answers one group's keys, in their
 * order. Each call's keys must belong to one group.
 */
export function gatheredReads<K, V>(
  groupOf: (key: K) => string,
  read: (db: Executor, keys: K[]) => Promise<V[]>,
  { gathers = (db) => !db.isTransaction, maxBatchSize = Infinity }: GatherOptions = {},
): (db: Executor, keys: K[]) => Promise<V[]> {
  const loaders = new WeakMap<Executor, DataLoader<K, V>>();
  const readGroups = (db: Executor) => async (keys: readonly K[]) => {
    const groups = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const group = groups.get(groupOf(key));
      if (group === undefined) groups.set(groupOf(key), [i]);
      else group.push(i);
    });
    const answers = new Array<V>(keys.length);
    await Promise.all(
      [...groups.values()].map(async (indexes) => {
        const values = await read(db, indexes.map((i) => keys[i]));
        indexes.forEach((i, k) => (answers[i] = values[k]));
      }),
    );
    return answers;
  };
  return async (db, keys) => {
    if (keys.length === 0) return [];
    if (!gathers(db)) return read(db, keys);
    let loader = loaders.get(db);
    if (loader === undefined) {
      loader = new DataLoader(readGroups(db), { cache: false, maxBatchSize, batchScheduleFn: (run) => setImmediate(run) });
      loaders.set(db, loader);
    }
    const answers = await loader.loadMany(keys);
    for (const answer of answers) if (answer instanceof Error) throw answer;
    return answers as V[];
  };
}

/** The rows of a statement shared by several callers, by the key each caller finds its own under. */
export function rowsByKey<Row>(rows: Iterable<Row>, keyOf: (row: Row) => string): Map<string, Row[]> {
  const grouped = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const found = grouped.get(key);
    if (found === undefined) grouped.set(key, [row]);
    else found.push(row);
  }
  return grouped;
}
