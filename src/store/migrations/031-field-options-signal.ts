import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Field options move the settings stamp too, as field changes do since migrations 024 (PostgreSQL) and 025
 * (SQLite): a company's field definitions, options included, are remembered between changes of the stamp
 * (domain/person-fields/remembered-fields.ts), and an option added, renamed or deleted must reach every process's
 * next read.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create trigger person_field_options_settings_changed after insert or update or delete on person_field_options
      for each statement execute function personsd_credentials_changed()`.execute(db);
    return;
  }
  for (const event of ['insert', 'update', 'delete']) {
    await sql`create trigger ${sql.id(`person_field_options_${event}_settings_stamp`)} after ${sql.raw(event)} on person_field_options
      begin update settings_stamp set stamp = randomblob(8); end`.execute(db);
  }
}
