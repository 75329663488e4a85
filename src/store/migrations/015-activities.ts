import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/** The types every company starts with, as Pipedrive's (key_string = icon_key). Frozen here: later changes need a migration. */
const DEFAULT_TYPES = [
  ['Call', 'call'],
  ['Meeting', 'meeting'],
  ['Task', 'task'],
  ['Deadline', 'deadline'],
  ['Email', 'email'],
  ['Lunch', 'lunch'],
] as const;

/** Activities (calls, meetings, tasks … about persons, organizations and deals) and each company's activity types. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('activity_types')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_string', 'text', (c) => c.notNull())
    .addColumn('icon_key', 'text', (c) => c.notNull())
    .addColumn('color', 'text')
    .addColumn('order_nr', 'integer', (c) => c.notNull())
    .addColumn('is_custom_flag', 'integer', (c) => c.notNull())
    .addColumn('active_flag', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .execute();
  // An activity names its type by key_string, unique within a company (deleted types keep theirs).
  await db.schema.createIndex('activity_types_company_key').on('activity_types').columns(['company_id', 'key_string']).unique().execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('creator_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('update_user_id', 'integer', (c) => c.references('users.id'))
    // A purge of the linked record unlinks the activity rather than failing.
    .addColumn('person_id', 'integer', (c) => c.references('persons.id').onDelete('set null'))
    .addColumn('org_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('deal_id', 'integer', (c) => c.references('deals.id').onDelete('set null'))
    // JSON text as rendered: [{person_id, primary}] and [{email, name, status, is_organizer, person_id, user_id}].
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('attendees', 'text', (c) => c.notNull())
    // YYYY-MM-DD, HH:MM (UTC) and HH:MM: text that sorts as the values do.
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('due_time', 'text')
    .addColumn('duration', 'text')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('marked_as_done_time', 'text')
    .addColumn('busy_flag', 'integer')
    // JSON text of v2's location object (value and its parts).
    .addColumn('location', 'text')
    .addColumn('note', 'text')
    .addColumn('public_description', 'text')
    .addColumn('priority', 'integer')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('activities_company_id').on('activities').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('activities_company_owner').on('activities').columns(['company_id', 'owner_id', 'id']).execute();
  await db.schema.createIndex('activities_company_update').on('activities').columns(['company_id', 'update_time', 'id']).execute();
  // A person's counts, next and last activity, and the lists by link read these.
  await db.schema.createIndex('activities_person').on('activities').columns(['person_id', 'done', 'due_date']).execute();
  await db.schema.createIndex('activities_org').on('activities').columns(['org_id', 'due_date']).execute();
  await db.schema.createIndex('activities_deal').on('activities').columns(['deal_id', 'due_date']).execute();
  await db.schema.createIndex('activities_deleted').on('activities').column('deleted_time').execute();

  // A merge moves the merged person's activities to the survivor; an unmerge moves them back.
  await db.schema.alterTable('person_merges').addColumn('moved_activity_ids', 'text').execute();

  // Companies that exist already get the default types now; new ones get them when they are made.
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  const companies = await db.selectFrom('companies').select('id').execute();
  for (const { id } of companies) {
    const rows = DEFAULT_TYPES.map(([name, key], i) => ({
      company_id: id, name, key_string: key, icon_key: key, color: null, order_nr: i + 1, is_custom_flag: 0, active_flag: 1, add_time: now, update_time: now,
    }));
    await db.insertInto('activity_types').values(rows).execute();
  }
}
