import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/** Deals, person followers, person history and person pictures. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('deals')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('creator_user_id', 'integer', (c) => c.notNull().references('users.id'))
    // A purge of the person or organization unlinks the deal rather than failing or taking the deal with it.
    .addColumn('person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('probability', 'double precision')
    .addColumn('lost_reason', 'text')
    .addColumn('visible_to', 'integer', (c) => c.notNull())
    .addColumn('label_ids', 'text', (c) => c.notNull())
    .addColumn('expected_close_date', 'text')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('won_time', 'text')
    .addColumn('lost_time', 'text')
    .addColumn('close_time', 'text')
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('deals_company_id').on('deals').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('deals_company_update').on('deals').columns(['company_id', 'update_time', 'id']).execute();
  await db.schema.createIndex('deals_company_add').on('deals').columns(['company_id', 'add_time', 'id']).execute();
  await db.schema.createIndex('deals_company_owner').on('deals').columns(['company_id', 'owner_id', 'id']).execute();
  // Person and organization deal counts group by status, so it is part of these keys.
  await db.schema.createIndex('deals_person').on('deals').columns(['person_id', 'status']).execute();
  await db.schema.createIndex('deals_org').on('deals').columns(['org_id', 'status']).execute();
  await db.schema.createIndex('deals_deleted').on('deals').column('deleted_time').execute();

  await db.schema
    .createTable('person_followers')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_followers_person_user').on('person_followers').columns(['person_id', 'user_id']).unique().execute();

  await db.schema
    .createTable('person_changes')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('field_key', 'text')
    .addColumn('is_custom', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('related_id', 'integer')
    .addColumn('actor_user_id', 'integer', (c) => c.notNull())
    .addColumn('change_source', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_changes_person_kind').on('person_changes').columns(['person_id', 'kind', 'id']).execute();
  await db.schema.createIndex('person_changes_person_time').on('person_changes').columns(['person_id', 'time', 'id']).execute();

  await db.schema
    .createTable('person_pictures')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('added_by_user_id', 'integer', (c) => c.notNull())
    .addColumn('file_size', 'integer', (c) => c.notNull())
    // Stored in the database so every process of a deployment can serve them without shared disk.
    .addColumn('image_128', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('image_512', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_pictures_person').on('person_pictures').column('person_id').execute();
}
