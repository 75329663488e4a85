import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * PostgreSQL announces every change to what decides who a token belongs to (api_tokens, users) on the channel
 * `personsd_credentials`, so API processes may remember tokens between changes (store/settings-signal.ts).
 * Statement-level triggers: one notification per statement, whatever the number of rows. SQLite: a stamp row that
 * triggers rewrite (migration 025).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`
    create or replace function personsd_credentials_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('personsd_credentials', '');
      return null;
    end $$`.execute(db);
  for (const table of ['api_tokens', 'users']) {
    await sql`create trigger ${sql.id(`${table}_credentials_changed`)} after insert or update or delete on ${sql.id(table)}
      for each statement execute function personsd_credentials_changed()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_credentials_truncated`)} after truncate on ${sql.id(table)}
      for each statement execute function personsd_credentials_changed()`.execute(db);
  }
}
