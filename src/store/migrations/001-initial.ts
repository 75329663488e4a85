import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('industry', 'text')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active_flag', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('default_currency', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('lang', 'integer', (c) => c.notNull())
    .addColumn('timezone_name', 'text', (c) => c.notNull())
    .addColumn('timezone_offset', 'text', (c) => c.notNull())
    .addColumn('role_id', 'integer', (c) => c.notNull())
    .addColumn('icon_url', 'text')
    .addColumn('last_login', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_company_email').on('users').columns(['company_id', 'email']).unique().execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('last_used_time', 'text')
    .execute();

  await db.schema
    .createTable('organizations')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('visible_to', 'integer', (c) => c.notNull())
    .addColumn('label_ids', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('picture_id', 'integer')
    .addColumn('custom_fields', 'text', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('organizations_company_id').on('organizations').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('organizations_company_update').on('organizations').columns(['company_id', 'update_time', 'id']).execute();
  await db.schema.createIndex('organizations_company_add').on('organizations').columns(['company_id', 'add_time', 'id']).execute();
  await db.schema.createIndex('organizations_company_owner').on('organizations').columns(['company_id', 'owner_id', 'id']).execute();
  await db.schema.createIndex('organizations_deleted').on('organizations').column('deleted_time').execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id'))
    .addColumn('visible_to', 'integer', (c) => c.notNull())
    .addColumn('label_ids', 'text', (c) => c.notNull())
    .addColumn('picture_id', 'integer')
    .addColumn('emails', 'text', (c) => c.notNull())
    .addColumn('phones', 'text', (c) => c.notNull())
    .addColumn('im', 'text', (c) => c.notNull())
    .addColumn('postal_address', 'text')
    .addColumn('notes', 'text')
    .addColumn('birthday', 'text')
    .addColumn('job_title', 'text')
    .addColumn('marketing_status', 'text')
    .addColumn('marketing_status_changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('custom_fields', 'text', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('persons_company_id').on('persons').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('persons_company_update').on('persons').columns(['company_id', 'update_time', 'id']).execute();
  await db.schema.createIndex('persons_company_add').on('persons').columns(['company_id', 'add_time', 'id']).execute();
  await db.schema.createIndex('persons_company_owner').on('persons').columns(['company_id', 'owner_id', 'id']).execute();
  await db.schema.createIndex('persons_company_org').on('persons').columns(['company_id', 'org_id', 'id']).execute();
  await db.schema.createIndex('persons_deleted').on('persons').column('deleted_time').execute();

  await db.schema
    .createTable('person_contacts')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_contacts_lookup').on('person_contacts').columns(['company_id', 'kind', 'normalized']).execute();
  await db.schema.createIndex('person_contacts_person').on('person_contacts').column('person_id').execute();
}
