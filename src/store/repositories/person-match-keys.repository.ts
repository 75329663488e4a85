import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import type { PersonRow } from './persons.repository.js';
import { dialectOf } from '../dialect/index.js';
import { PERSON_ROW_COLUMNS } from '../person-row-columns.js';

/** A match key of a person (company and person are added when it is written). */
export interface NewMatchKeyRow {
  rule: string;
  key: string;
}

/** One person found through one key: which person, and the key (with its rule or contact kind) that found it. */
export interface KeyHit {
  person_id: number;
  kind: string;
  key: string;
}

const KEYS_PER_STATEMENT = 5000;

/** Inserts many persons' keys in few statements (imports). */
export async function insertMatchKeys(db: Executor, companyId: number, keys: Array<NewMatchKeyRow & { person_id: number }>): Promise<void> {
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    await db
      .insertInto('person_match_keys')
      .values(keys.slice(start, start + KEYS_PER_STATEMENT).map((k) => ({ ...k, company_id: companyId })))
      .execute();
  }
}

/**
 * Persons holding any of these contact keys (person_contacts.normalized), through the (company_id, kind,
 * normalized) index; `limit` bounds what a very common key can return.
 */
export async function personsWithContactKeys(db: Executor, companyId: number, kind: string, keys: readonly string[], limit: number): Promise<KeyHit[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('person_contacts')
    .select(['person_id', 'kind', 'normalized as key'])
    .where('company_id', '=', companyId)
    .where('kind', '=', kind)
    .where('normalized', 'in', [...keys])
    .limit(limit)
    .execute();
}

/** Persons holding any of these match keys, through the (company_id, rule, key) index. */
export async function personsWithMatchKeys(db: Executor, companyId: number, rule: string, keys: readonly string[], limit: number): Promise<KeyHit[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('person_match_keys')
    .select(['person_id', 'rule as kind', 'key'])
    .where('company_id', '=', companyId)
    .where('rule', '=', rule)
    .where('key', 'in', [...keys])
    .limit(limit)
    .execute();
}

/** The live persons among `ids` that the viewer may see. */
export async function visibleLivePersons(db: Executor, companyId: number, ids: readonly number[], viewer: RecordViewer): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  const query = db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('company_id', '=', companyId).where('id', 'in', [...ids]).where('deleted_time', 'is', null);
  return withVisibility(query, viewer).orderBy('id').execute();
}

/** The canonical phone keys of each of these persons, in list order (search indexes them beside the digits). */
export async function phoneKeysOf(db: Executor, companyId: number, personIds: readonly number[]): Promise<Map<number, string[]>> {
  const keys = new Map<number, string[]>();
  if (personIds.length === 0) return keys;
  const rows = await db
    .selectFrom('person_contacts')
    .select(['person_id', 'normalized'])
    .where('company_id', '=', companyId)
    .where('person_id', 'in', [...personIds])
    .where('kind', '=', 'phone')
    .orderBy('person_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = keys.get(row.person_id) ?? [];
    list.push(row.normalized);
    keys.set(row.person_id, list);
  }
  return keys;
}

/** Persons (deleted ones too: an unmerge brings them back) after an id, of one company or of all. */
export async function personsAfter(db: Executor, companyId: number | undefined, afterId: number, limit: number): Promise<PersonRow[]> {
  let query = db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('id', '>', afterId);
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.orderBy('id').limit(limit).execute();
}

/** Every contact row and match key of these persons of one company, removed before a re-keying writes them anew. */
export async function deleteIdentityRows(db: Executor, companyId: number, personIds: readonly number[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.deleteFrom('person_contacts').where('company_id', '=', companyId).where('person_id', 'in', [...personIds]).execute();
  await db.deleteFrom('person_match_keys').where('company_id', '=', companyId).where('person_id', 'in', [...personIds]).execute();
}

const IDENTITY_REBUILD_LOCK = 7_007_007;

/** Serialises re-keying across processes on PostgreSQL (SQLite transactions already hold the only write lock). */
export async function lockIdentityRebuild(trx: Executor): Promise<void> {
  await dialectOf(trx).lockUntilCommit(trx, IDENTITY_REBUILD_LOCK);
}

/** Refreshes the planner's statistics of the tables an identity rebuild fills (PostgreSQL syntax). */
export async function analyzeIdentityTables(db: Executor): Promise<void> {
  await sql`analyze person_contacts, person_match_keys`.execute(db);
}
