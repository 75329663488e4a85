import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * PostgreSQL also announces, on migration 021's channel, the changes that can make a company's remembered write
 * settings wrong (../settings-signal.ts, domain/remembered-while-unchanged.ts): its identity settings (`companies`),
 * a person field made or made mandatory (`person_fields`), a webhook added (`webhooks` inserts only: what is
 * remembered is whether a company has any live webhook at all, and deliveries update webhooks all day). The channel
 * keeps its first name, so processes of the release before this one, listening during a rolling deploy, still hear
 * credential changes. SQLite: migration 025.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const triggers = [
    { table: 'companies', events: 'insert or update or delete' },
    { table: 'person_fields', events: 'insert or update or delete' },
    { table: 'webhooks', events: 'insert' },
  ];
  for (const { table, events } of triggers) {
    await sql`create trigger ${sql.id(`${table}_settings_changed`)} after ${sql.raw(events)} on ${sql.id(table)}
      for each statement execute function personsd_credentials_changed()`.execute(db);
  }
}
