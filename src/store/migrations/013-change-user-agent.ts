import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // The User-Agent of the client that made a change, for the changelog's change_source_user_agent; null before.
  await db.schema.alterTable('person_changes').addColumn('change_source_user_agent', 'text').execute();
}
