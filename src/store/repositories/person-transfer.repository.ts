import { type Insertable, sql } from 'kysely';
import type { PersonContactsTable } from '../schema.js';
import type { NewPersonRow } from './persons.repository.js';
import type { Executor } from '../executor.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import { dialectOf } from '../dialect/index.js';
import { insertRows } from '../multi-row-insert.js';

/** The live organization of this name the viewer sees (the oldest when several share it), through (company_id, name). */
export async function findOrganizationIdByName(db: Executor, companyId: number, name: string, viewer: RecordViewer): Promise<number | undefined> {
  const query = db.selectFrom('organizations').select('id').where('company_id', '=', companyId).where('name', '=', name).where('deleted_time', 'is', null);
  const row = await withVisibility(query, viewer, 'organizations')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Names of these organizations the viewer sees (deleted ones too: an export names what a person points at). */
export async function organizationNames(db: Executor, companyId: number, ids: readonly number[], viewer: RecordViewer): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const query = db.selectFrom('organizations').select(['id', 'name']).where('company_id', '=', companyId).where('id', 'in', [...ids]);
  const rows = await withVisibility(query, viewer, 'organizations').execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export const PERSON_COLUMNS = [
  'company_id', 'name', 'first_name', 'last_name', 'owner_id', 'org_id', 'visible_to', 'label_ids', 'emails', 'phones', 'im', 'postal_address', 'notes',
  'birthday', 'job_title', 'marketing_status', 'marketing_status_changed', 'custom_fields', 'add_time', 'update_time',
] as const;
const CONTACT_COLUMNS = ['company_id', 'person_id', 'kind', 'value', 'normalized', 'label', 'is_primary', 'position'] as const;
const MATCH_KEY_COLUMNS = ['company_id', 'person_id', 'rule', 'key'] as const;
// Under both dialects' bound-parameter limits (SQLite 32,766, PostgreSQL 65,535).
const PERSONS_PER_STATEMENT = 500;
const ROWS_PER_STATEMENT = 2000;

export type ImportedPerson = Omit<NewPersonRow, 'id' | 'picture_id' | 'deleted_time'>;
export type ImportedContact = Omit<Insertable<PersonContactsTable>, 'id'>;
export interface ImportedKey {
  company_id: number;
  person_id: number;
  rule: string;
  key: string;
}

/** Inserts persons and returns their ids in the order given (ids are handed out in row order within a statement). */
export async function insertImportedPersons(db: Executor, persons: readonly ImportedPerson[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < persons.length; start += PERSONS_PER_STATEMENT) {
    const chunk = persons.slice(start, start + PERSONS_PER_STATEMENT);
    const rows = await insertRows<{ id: number }>(db, dialectOf(db).placeholder, 'persons', PERSON_COLUMNS, chunk.map((p) => PERSON_COLUMNS.map((c) => p[c] ?? null)), ' returning "id"');
    ids.push(...rows.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return ids;
}

export async function insertImportedContacts(db: Executor, contacts: readonly ImportedContact[]): Promise<void> {
  for (let start = 0; start < contacts.length; start += ROWS_PER_STATEMENT) {
    await insertRows(db, dialectOf(db).placeholder, 'person_contacts', CONTACT_COLUMNS, contacts.slice(start, start + ROWS_PER_STATEMENT).map((c) => CONTACT_COLUMNS.map((k) => c[k])));
  }
}

export async function insertImportedKeys(db: Executor, keys: readonly ImportedKey[]): Promise<void> {
  for (let start = 0; start < keys.length; start += ROWS_PER_STATEMENT) {
    await insertRows(db, dialectOf(db).placeholder, 'person_match_keys', MATCH_KEY_COLUMNS, keys.slice(start, start + ROWS_PER_STATEMENT).map((k) => MATCH_KEY_COLUMNS.map((c) => k[c])));
  }
}

/**
 * Refreshes the planner statistics of the tables an import fills. A big import into a small company grows them
 * faster than autovacuum looks, and with statistics of the empty tables PostgreSQL's planner answers the batched key
 * lookups (`normalized in (…2,000 keys)`) with sequential scans, each slower than the last. SQLite: PRAGMA optimize
 * (StoreDialect.refreshStatistics).
 */
export async function refreshImportStatistics(db: Executor): Promise<void> {
  await dialectOf(db).refreshStatistics(db, () => sql`analyze persons, person_contacts, person_match_keys`.execute(db));
}
