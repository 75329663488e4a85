import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * SQLite: `search_backlog`, the rows whose FTS5 entries are yet to be written (see ../search/sqlite-backlog.ts), one
 * row per (entity, id), with the text the index held for the row when it was queued (JSON; null when none).
 * Written in the same transaction as the row's search text, so it is as durable as the write. PostgreSQL writes its
 * index entries with the row: nothing.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create table search_backlog (
    entity text not null,
    id integer not null,
    indexed text,
    primary key (entity, id)
  ) without rowid`.execute(db);
}
