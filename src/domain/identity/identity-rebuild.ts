import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { findCompanyIdentity } from '../../store/repositories/company-identity.repository.js';
import {
  analyzeIdentityTables,
  deleteIdentityRows,
  insertMatchKeys,
  lockIdentityRebuild,
  personsAfter,
} from '../../store/repositories/person-match-keys.repository.js';
import type { NewContactRow, PersonRow } from '../../store/repositories/persons.repository.js';
import { saveSearchDoc } from '../../store/repositories/search.repository.js';
import { refreshStatisticsAfterRebuild } from '../../store/planner-statistics.js';
import { getSetting, setSetting } from '../../store/repositories/settings.repository.js';
import type { Database } from '../../store/schema.js';
import { valuesFromRow } from '../person-model/person-row.js';
import { personSearchDoc } from '../search/search-docs.js';
import { invalidateSearchIndex, searchableCustomFields } from '../search/search-index.js';
import type { Region } from '../normalize/contact-keys.js';
import { contactRowsOf } from '../person-model/contact-rows.js';
import { identityOf } from './person-identity.js';

/**
 * Bump when how keys are computed changes: the next start re-keys every person (and has the search index rebuilt,
 * since it holds the phone keys). Version 1: E.164 phones, IDNA emails, name match keys.
 */
export const IDENTITY_KEYS_VERSION = '1';
const VERSION_SETTING = 'identity_keys_version';
const BATCH = 1000;

/** Re-keys every person when the keys were computed by another version (or before identity keys existed). */
export async function rebuildIdentityKeysIfStale(db: Kysely<Database>, defaultRegion: Region | undefined): Promise<boolean> {
  if ((await getSetting(db, VERSION_SETTING)) === IDENTITY_KEYS_VERSION) return false;
  const rebuilt = await db.transaction().execute(async (trx) => {
    await lockIdentityRebuild(trx);
    if ((await getSetting(trx, VERSION_SETTING)) === IDENTITY_KEYS_VERSION) return false;
    const regions = new Map<number, Region | undefined>();
    const regionOf = async (companyId: number) => {
      if (!regions.has(companyId)) regions.set(companyId, ((await findCompanyIdentity(trx, companyId))?.default_region as Region | null) ?? defaultRegion);
      return regions.get(companyId);
    };
    await rekeyPersons(trx, undefined, regionOf);
    await invalidateSearchIndex(trx);
    await setSetting(trx, VERSION_SETTING, IDENTITY_KEYS_VERSION);
    return true;
  });
  if (rebuilt) await refreshStatisticsAfterRebuild(db, analyzeIdentityTables);
  return rebuilt;
}

/**
 * Rewrites the contact rows and match keys of every person of a company (or of all companies), in batches, in
 * the caller's transaction. With reindexSearch, persons with phones get their search text rewritten too.
 */
export async function rekeyPersons(
  trx: Executor,
  companyId: number | undefined,
  regionOf: (companyId: number) => Promise<Region | undefined>,
  options: { reindexSearch?: boolean } = {},
): Promise<void> {
  let afterId = 0;
  for (;;) {
    const rows = await personsAfter(trx, companyId, afterId, BATCH);
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1].id;
    const contacts: Array<NewContactRow & { company_id: number; person_id: number }> = [];
    const keys: Array<{ company_id: number; person_id: number; rule: string; key: string }> = [];
    for (const row of rows) {
      const region = await regionOf(row.company_id);
      const values = valuesFromRow(row);
      for (const c of contactRowsOf(values, region)) contacts.push({ ...c, company_id: row.company_id, person_id: row.id });
      for (const k of identityOf(values, region).matchKeys) keys.push({ ...k, company_id: row.company_id, person_id: row.id });
    }
    const byCompany = new Map<number, number[]>();
    for (const row of rows) byCompany.set(row.company_id, [...(byCompany.get(row.company_id) ?? []), row.id]);
    for (const [company, ids] of byCompany) await deleteIdentityRows(trx, company, ids);
    await insertRows(trx, contacts, keys);
    if (options.reindexSearch) await reindexPhones(trx, rows, contacts);
  }
}

async function insertRows(
  trx: Executor,
  contacts: Array<NewContactRow & { company_id: number; person_id: number }>,
  keys: Array<{ company_id: number; person_id: number; rule: string; key: string }>,
): Promise<void> {
  for (let start = 0; start < contacts.length; start += 2000) await trx.insertInto('person_contacts').values(contacts.slice(start, start + 2000)).execute();
  const byCompany = new Map<number, typeof keys>();
  for (const key of keys) byCompany.set(key.company_id, [...(byCompany.get(key.company_id) ?? []), key]);
  for (const [companyId, list] of byCompany) await insertMatchKeys(trx, companyId, list.map(({ company_id: _c, ...k }) => k));
}

async function reindexPhones(trx: Executor, rows: PersonRow[], contacts: Array<NewContactRow & { person_id: number }>): Promise<void> {
  for (const row of rows) {
    if (row.deleted_time !== null || row.phones === '[]') continue;
    const phoneKeys = contacts.filter((c) => c.person_id === row.id && c.kind === 'phone').map((c) => c.normalized);
    const fields = row.custom_fields === '{}' ? [] : await searchableCustomFields(trx, row.company_id);
    await saveSearchDoc(trx, 'person', row.company_id, row.id, personSearchDoc(row, fields, phoneKeys));
  }
}
