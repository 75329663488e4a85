import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/**
 * `record_changes`: the field changelog of organizations and deals (persons keep theirs in `person_changes`), one
 * link column per entity, each cascading on purge as `record_follower_changes` does.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('record_changes')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('deal_id', 'integer', (c) => c.references('deals.id').onDelete('cascade'))
    .addColumn('field_key', 'text', (c) => c.notNull())
    .addColumn('is_custom', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('actor_user_id', 'integer', (c) => c.notNull())
    .addColumn('change_source', 'text', (c) => c.notNull())
    .addColumn('change_source_user_agent', 'text')
    .addColumn('time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_changes_org').on('record_changes').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('record_changes_deal').on('record_changes').columns(['deal_id', 'id']).execute();
}
