import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { Database } from '../schema.js';
import { clearCompanySearchIndex, removeSearchDoc } from './search.repository.js';

type CompanyTable = {
  [T in keyof Database]: Database[T] extends { company_id: number } ? T : never;
}[keyof Database];

/**
 * What a company's reset empties, in an order the foreign keys accept (children first). A table with a company_id
 * column must be in this list or in COMPANY_ACCESS_TABLES: test/admin/company-reset.test.ts fails otherwise.
 */
export const COMPANY_DATA_TABLES = [
  'webhook_deliveries',
  'webhook_outbox',
  'webhooks',
  'person_merges',
  'person_match_keys',
  'person_changes',
  'person_followers',
  'record_follower_changes',
  'record_changes',
  'record_followers',
  'person_pictures',
  'person_contacts',
  'filters',
  'note_comments',
  'notes',
  'activities',
  'activity_types',
  'deals',
  'stages',
  'pipelines',
  'persons',
  'organizations',
  'person_field_options',
  'person_fields',
] as const satisfies readonly CompanyTable[];

/** Search index rows: removed through the search repository, which also clears SQLite's FTS5 tables. */
export const COMPANY_SEARCH_TABLES = ['person_search', 'organization_search', 'deal_search'] as const satisfies readonly CompanyTable[];

/** Who may sign in: kept by a reset, removed with the company (children first). */
export const COMPANY_ACCESS_TABLES = [
  'console_sessions',
  'console_invites',
  'user_passwords',
  'oauth_tokens',
  'oauth_codes',
  'oauth_grants',
  'visibility_group_members',
  'visibility_groups',
  'api_tokens',
  'users',
] as const satisfies readonly CompanyTable[];

const SEARCH_ENTITIES = [
  { table: 'person_search', entity: 'person', id: 'person_id' },
  { table: 'organization_search', entity: 'organization', id: 'organization_id' },
  { table: 'deal_search', entity: 'deal', id: 'deal_id' },
] as const;

export async function companyExists(db: Executor, companyId: number): Promise<boolean> {
  return (await db.selectFrom('companies').select('id').where('id', '=', companyId).executeTakeFirst()) !== undefined;
}

/** Deletes every record of the company (persons, fields, webhooks, history, search rows…), not its users. */
export async function deleteCompanyData(db: Executor, companyId: number): Promise<void> {
  for (const { table, entity, id } of SEARCH_ENTITIES) {
    const rows = await sql<{ id: number }>`select ${sql.ref(id)} as id from ${sql.table(table)} where company_id = ${companyId}`.execute(db);
    for (const row of rows.rows) await removeSearchDoc(db, entity, Number(row.id));
  }
  await clearCompanySearchIndex(db, companyId);
  // Persons point at organizations and at each other only through nullable links, cleared first.
  await db.updateTable('persons').set({ org_id: null, picture_id: null }).where('company_id', '=', companyId).execute();
  await db.updateTable('organizations').set({ picture_id: null }).where('company_id', '=', companyId).execute();
  for (const table of COMPANY_DATA_TABLES) await db.deleteFrom(table).where('company_id', '=', companyId).execute();
  await db.updateTable('companies').set({ default_region: null, duplicate_policy: null }).where('id', '=', companyId).execute();
}

/** Deletes the company's users and their credentials, except the ones listed. */
export async function deleteCompanyAccess(db: Executor, companyId: number, keepUserIds: readonly number[] = []): Promise<void> {
  for (const table of COMPANY_ACCESS_TABLES) {
    let query = db.deleteFrom(table).where('company_id', '=', companyId);
    // The kept users keep their API tokens; everything else of access (groups, OAuth grants) goes.
    if (keepUserIds.length > 0 && (table === 'users' || table === 'api_tokens')) {
      query = query.where(table === 'users' ? 'id' : 'user_id', 'not in', keepUserIds);
    }
    await query.execute();
  }
}

export async function deleteCompanyRow(db: Executor, companyId: number): Promise<void> {
  await db.deleteFrom('companies').where('id', '=', companyId).execute();
}

export async function listCompanyIds(db: Executor): Promise<number[]> {
  return (await db.selectFrom('companies').select('id').orderBy('id').execute()).map((r) => r.id);
}

export async function firstUserId(db: Executor, companyId: number): Promise<number | undefined> {
  return (await db.selectFrom('users').select('id').where('company_id', '=', companyId).orderBy('id').limit(1).executeTakeFirst())?.id;
}

/** OAuth apps belong to the installation, not to a company. */
export async function deleteOauthApps(db: Executor): Promise<void> {
  await db.deleteFrom('oauth_apps').execute();
}

export async function firstAdminId(db: Executor, companyId: number): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('id').where('company_id', '=', companyId).where('is_admin', '=', 1).where('active_flag', '=', 1).orderBy('id').limit(1).executeTakeFirst();
  return row?.id;
}
