import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * SQLite's change signal for what processes remember of credentials and companies' write settings, the same
 * changes migrations 021 and 024 announce on PostgreSQL: a one-row table whose stamp triggers replace with random
 * bytes on every change to `api_tokens`, `users`, `companies` and `person_fields`, and on every webhook added. The
 * store reads the row (db.ts): a person's create or edit no longer moves the stamp, as data_version did, so a
 * process keeps its remembered tokens and settings through a stream of writes. Random rather than counted: a
 * change rolled back restores the old stamp, and a later change must not reuse the value the rolled-back one had.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create table settings_stamp (id integer primary key check (id = 1), stamp blob not null)`.execute(db);
  await sql`insert into settings_stamp (id, stamp) values (1, randomblob(8))`.execute(db);
  const triggers = [
    ...['api_tokens', 'users', 'companies', 'person_fields'].flatMap((table) => ['insert', 'update', 'delete'].map((event) => ({ table, event }))),
    { table: 'webhooks', event: 'insert' },
  ];
  for (const { table, event } of triggers) {
    await sql`create trigger ${sql.id(`${table}_${event}_settings_stamp`)} after ${sql.raw(event)} on ${sql.id(table)}
      begin update settings_stamp set stamp = randomblob(8); end`.execute(db);
  }
}
