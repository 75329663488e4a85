import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/** Notes: HTML text a user writes about a person, an organization or a deal (sanitised before it is stored). */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('notes')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('last_update_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('content', 'text', (c) => c.notNull())
    // A purge of the linked record unlinks the note rather than failing.
    .addColumn('person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('deal_id', 'integer', (c) => c.references('deals.id').onDelete('set null'))
    .addColumn('pinned_to_person_flag', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned_to_organization_flag', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned_to_deal_flag', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('notes_company_id').on('notes').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('notes_company_user').on('notes').columns(['company_id', 'user_id', 'id']).execute();
  // The person's notes_count and flow, and the list filters by link, read these.
  await db.schema.createIndex('notes_person').on('notes').columns(['person_id', 'add_time']).execute();
  await db.schema.createIndex('notes_org').on('notes').columns(['org_id', 'add_time']).execute();
  await db.schema.createIndex('notes_deal').on('notes').columns(['deal_id', 'add_time']).execute();
  await db.schema.createIndex('notes_deleted').on('notes').column('deleted_time').execute();
  await db.schema
    .createTable('note_comments')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    // Pipedrive names comments by UUID; the integer id stays internal.
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('note_id', 'integer', (c) => c.notNull().references('notes.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updater_id', 'integer', (c) => c.references('users.id'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('note_comments_note').on('note_comments').columns(['note_id', 'id']).execute();

  // A merge moves the merged person's notes to the survivor; an unmerge moves them back.
  await db.schema.alterTable('person_merges').addColumn('moved_note_ids', 'text').execute();
}
