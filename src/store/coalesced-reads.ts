import type { Executor } from './executor.js';
import { dialectOf } from './dialect/index.js';
import { gatheredReads } from './gathered-reads.js';

/** Reads of rows by id, gathered across requests on PostgreSQL (gathered-reads.ts). */
export interface CoalescedReads<Row> {
  /** The row with this id, if the company has it. */
  one(db: Executor, companyId: number, id: number): Promise<Row | undefined>;
  /** The rows among these ids the company has, once each, in no particular order. */
  many(db: Executor, companyId: number, ids: readonly number[]): Promise<Row[]>;
}

interface Key {
  companyId: number;
  id: number;
}

/** Ids per statement: a bound on the statement's size, far above what one turn of the loop gathers. */
const MAX_IDS = 500;

/** On SQLite a read is a few µs in-process: nothing to gather. */
export const gathersAcrossRequests = (db: Executor) => !db.isTransaction && dialectOf(db).name === 'postgres';

export function coalescedById<Row extends { id: number }>(
  one: (db: Executor, companyId: number, id: number) => Promise<Row | undefined>,
  many: (db: Executor, companyId: number, ids: number[]) => Promise<Row[]>,
): CoalescedReads<Row> {
  const read = gatheredReads<Key, Row | undefined>(
    (key) => String(key.companyId),
    async (db, keys) => {
      const companyId = keys[0].companyId;
      const ids = [...new Set(keys.map((key) => key.id))];
      const rows = ids.length === 1 ? [await one(db, companyId, ids[0])] : await many(db, companyId, ids);
      const byId = new Map(rows.filter((row) => row !== undefined).map((row) => [row.id, row]));
      // A caller may change the row it gets: a second caller of the same id gets a copy.
      const given = new Set<number>();
      return keys.map(({ id }) => {
        const row = byId.get(id);
        if (row !== undefined && given.has(id)) return { ...row };
        given.add(id);
        return row;
      });
    },
    { gathers: gathersAcrossRequests, maxBatchSize: MAX_IDS },
  );
  return {
    // Not gathered, a read by id goes straight to its query: the SQLite GET's hot path.
    one: async (db, companyId, id) => (gathersAcrossRequests(db) ? (await read(db, [{ companyId, id }]))[0] : one(db, companyId, id)),
    async many(db, companyId, ids) {
      const rows = await read(db, [...new Set(ids)].map((id) => ({ companyId, id })));
      return rows.filter((row) => row !== undefined);
    },
  };
}
