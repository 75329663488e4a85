import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/** Saved filters: a named condition tree over person, organization or deal fields, owned by a user. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('filters')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // people | org | deals (activity once activities can be filtered)
    .addColumn('type', 'text', (c) => c.notNull())
    // The condition tree as JSON text, exactly as GET /v1/filters/{id} renders it.
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('visible_to', 'integer', (c) => c.notNull())
    .addColumn('temporary_flag', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    // Deleted filters stay as rows (Pipedrive marks them deleted) and answer 404.
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('filters_company_type').on('filters').columns(['company_id', 'type', 'id']).execute();
}
