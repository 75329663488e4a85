import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/**
 * Fields and followers for organizations and deals.
 * - `person_fields` holds the fields of every entity: an `entity` column ('person', 'organization', 'deal'; existing
 *   rows are persons') and a unique key per (company, entity, key), since system keys such as `name` repeat across
 *   entities. Options stay keyed by their field.
 * - Deals get a `custom_fields` JSON column (organizations had one from the start).
 * - `record_followers` / `record_follower_changes`: who follows an organization or a deal, and the changelog; one
 *   link column per entity, each cascading on purge as `person_followers` does.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('person_fields').addColumn('entity', 'text', (c) => c.notNull().defaultTo('person')).execute();
  await db.schema.dropIndex('person_fields_company_key').execute();
  await db.schema.createIndex('person_fields_company_entity_key').on('person_fields').columns(['company_id', 'entity', 'field_key']).unique().execute();

  await db.schema.alterTable('deals').addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}')).execute();

  await db.schema
    .createTable('record_followers')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('deal_id', 'integer', (c) => c.references('deals.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();
  // NULLs are distinct in both dialects, so each index only constrains the rows of its own entity.
  await db.schema.createIndex('record_followers_org_user').on('record_followers').columns(['org_id', 'user_id']).unique().execute();
  await db.schema.createIndex('record_followers_deal_user').on('record_followers').columns(['deal_id', 'user_id']).unique().execute();
  await db.schema.createIndex('record_followers_user').on('record_followers').columns(['company_id', 'user_id']).execute();

  await db.schema
    .createTable('record_follower_changes')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('deal_id', 'integer', (c) => c.references('deals.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.notNull())
    .addColumn('follower_user_id', 'integer', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_follower_changes_org').on('record_follower_changes').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('record_follower_changes_deal').on('record_follower_changes').columns(['deal_id', 'id']).execute();
}
