import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/**
 * Person field definitions (system and custom) per company, and the options of enum / set fields (the person
 * labels are the options of the system label field). Rows are seeded per company on first use, so companies
 * created before this migration get their system fields too.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('person_fields')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('field_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('field_type', 'text', (c) => c.notNull())
    .addColumn('is_custom', 'integer', (c) => c.notNull())
    .addColumn('order_nr', 'integer', (c) => c.notNull())
    .addColumn('add_visible_flag', 'integer', (c) => c.notNull())
    .addColumn('details_visible_flag', 'integer', (c) => c.notNull())
    .addColumn('show_in_add_deal_dialog', 'integer', (c) => c.notNull())
    .addColumn('add_deal_dialog_order', 'integer')
    .addColumn('important_flag', 'integer', (c) => c.notNull())
    .addColumn('important_stage_ids', 'text', (c) => c.notNull())
    .addColumn('mandatory_flag', 'integer', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer')
    .addColumn('last_updated_by_user_id', 'integer')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  // Also what makes concurrent seeding of one company's system fields insert each field once.
  await db.schema.createIndex('person_fields_company_key').on('person_fields').columns(['company_id', 'field_key']).unique().execute();

  await db.schema
    .createTable('person_field_options')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('person_fields.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('color', 'text')
    .addColumn('order_nr', 'integer', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_field_options_field').on('person_field_options').columns(['company_id', 'field_id']).execute();
}
