import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * SQLite: an index of each company's live persons by id, which holds every column a page of the v2 list filters on
 * without reading the persons rows. The list's other index, `persons_company_id`, needs each row's `deleted_time`
 * from the table: about 40 µs of a page of 100 at 1,000,000 persons (179 against 221 µs a page in process,
 * docs/benchmarks.md). An edit touches it only when it deletes or restores.
 *
 * PostgreSQL: nothing. Its list already reads a handful of heap pages for the persons (the stored documents are most of
 * its page), and every PATCH there changes `update_time`, which is indexed, so no update is HOT and a further index
 * would take an entry on every edit.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create index persons_live on persons (company_id, id) where deleted_time is null`.execute(db);
}
