import { type Kysely, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { precompiled } from '../precompiled.js';
import type { Database } from '../schema.js';
import { applyToFts } from './fts5-writes.js';
import { countIndexed } from './sqlite-compaction.js';
import { SEARCH_TABLES, type SearchDoc, type SearchEntity } from './search-match.js';
import { columnList, docOf } from './search-rows.js';

/*
 * SQLite's index is written in batches. Every FTS5 table a transaction writes to flushes a segment of its own at
 * commit, about 0.1 ms whatever the number of rows (measured on this machine: a create's four FTS5 inserts took
 * 50 µs and their commit 520 µs; ten creates in one transaction, 19 and 106 µs each). So a write queues its row in
 * `search_backlog`, in the write's own transaction (as durable as the write, also across a crash), and the queue is
 * taken into the FTS5 tables in one transaction: on a timer (SEARCH_INDEX_INTERVAL_MS) and before every search reads
 * them, so a search sees every write acknowledged before it started. Each row is indexed from its search row as it
 * is when the batch runs (a row no longer there, deleted, only leaves the index), and only the tables whose text
 * changed since the index last held the row are written.
 */

/** Most rows taken in one transaction: a long burst of writes is indexed in several, each short. */
const ROWS_PER_BATCH = 2000;

/** Queues a row whose search text changed; `indexed` is the text the index holds for it (none for a first index). */
export async function queueForIndex(db: Executor, entity: SearchEntity, id: number, indexed: SearchDoc | undefined): Promise<void> {
  await queueQuery(db, { entity, id, indexed: indexed ? JSON.stringify(indexed) : null });
}

// A row queued already keeps its first `indexed`: the index still holds what it held then.
const queueQuery = precompiled(
  (_db, p: { entity: SearchEntity; id: number; indexed: string | null }) =>
    sql`insert into search_backlog (entity, id, indexed) values (${p.entity}, ${p.id}, ${p.indexed}) on conflict do nothing`,
);

/** Whether rows wait to be indexed: one probe of the backlog's key, run before every search. */
export async function hasBacklog(db: Executor): Promise<boolean> {
  const result = await sql<{ waiting: number }>`select exists (select 1 from search_backlog) as waiting`.execute(db);
  return result.rows[0].waiting === 1;
}

/** Indexes every queued row: in the caller's transaction, or in transactions of its own. Returns how many it took. */
export async function indexBacklog(db: Executor): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = db.isTransaction ? await indexBatch(db) : await (db as Kysely<Database>).transaction().execute(indexBatch);
    total += taken;
    if (taken < ROWS_PER_BATCH) return total;
  }
}

async function indexBatch(trx: Executor): Promise<number> {
  const queued = (await sql<{ entity: SearchEntity; id: number; indexed: string | null }>`select entity, id, indexed from search_backlog limit ${ROWS_PER_BATCH}`.execute(trx)).rows;
  for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) {
    const rows = queued.filter((q) => q.entity === entity);
    if (rows.length === 0) continue;
    const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
    // One statement text whatever the batch's size: the ids go as a JSON array.
    const ids = JSON.stringify(rows.map((q) => q.id));
    const current = await sql<Record<string, unknown>>`select ${sql.ref(idColumn)} as id, ${columnList(columns)} from ${sql.table(table)}
      where ${sql.ref(idColumn)} in (select value from json_each(${ids}))`.execute(trx);
    const now = new Map(current.rows.map((row) => [Number(row.id), docOf(entity, row).doc]));
    await applyToFts(trx, entity, rows.map((q) => ({ id: q.id, before: q.indexed === null ? undefined : (JSON.parse(q.indexed) as SearchDoc), after: now.get(q.id) })));
    await sql`delete from search_backlog where entity = ${entity} and id in (select value from json_each(${ids}))`.execute(trx);
  }
  countIndexed(queued.length);
  return queued.length;
}

/** Forgets an entity's queue: a rebuild is about to index every row of it afresh. */
export async function clearBacklog(db: Executor, entity: SearchEntity): Promise<void> {
  await sql`delete from search_backlog where entity = ${entity}`.execute(db);
}
