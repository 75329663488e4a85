import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import {
  clearSearchIndex,
  insertSearchDocsBulk,
  liveRowsAfter,
  lockSearchRebuild,
  removeSearchDoc,
  saveNewSearchDoc,
  saveSearchDoc,
} from '../../store/repositories/search.repository.js';
import { customFieldsOfTypes } from '../../store/repositories/person-fields.repository.js';
import { phoneKeysOf } from '../../store/repositories/person-match-keys.repository.js';
import { getSetting, setSetting } from '../../store/repositories/settings.repository.js';
import type { SearchEntity } from '../../store/search/search-match.js';
import type { Database } from '../../store/schema.js';
import { refreshStatisticsAfterRebuild } from '../../store/planner-statistics.js';
import { analyzeSearchIndex, compactSearchIndex } from '../../store/repositories/search.repository.js';
import { SEARCHABLE_CUSTOM_FIELD_TYPES } from '../person-fields/field-types.js';
import { type WriteEvent, type WriteListener, recorder } from '../write-events.js';
import { type SearchableField, dealSearchDoc, organizationSearchDoc, personSearchDoc } from './search-docs.js';
import { SEARCH_INDEX_UPGRADES } from './search-index-upgrades.js';

/** Which searchable custom fields a company has, read in the caller's transaction. */
export type SearchableFieldsOf = (db: Executor, companyId: number) => Promise<SearchableField[]>;

/** The company's custom person fields of the types Pipedrive searches (address, varchar, text, …). */
export const searchableCustomFields: SearchableFieldsOf = (db, companyId) => customFieldsOfTypes(db, companyId, SEARCHABLE_CUSTOM_FIELD_TYPES);

/** A created row (nothing before it) is indexed by the shorter path for new rows. */
const saveFor = (event: WriteEvent<unknown>) => (event.before === null ? saveNewSearchDoc : saveSearchDoc);

/**
 * Keeps a person's search row in step with every write, inside the write's transaction: the very next search sees
 * the change, and a rolled-back write leaves the index as it was. Deleted (and merged-away) persons leave it.
 */
export function personSearchListener(fieldsOf: SearchableFieldsOf = searchableCustomFields): WriteListener<PersonRow> {
  return recorder(async (trx, event) => {
    const row = event.after ?? event.before;
    if (!row) return;
    if (event.after === null || event.after.deleted_time !== null) return removeSearchDoc(trx, 'person', row.id);
    // Most persons hold no custom values; they need no field definitions.
    const fields = event.after.custom_fields === '{}' ? [] : await fieldsOf(trx, row.company_id);
    const phoneKeys = event.phoneKeys ?? (event.after.phones === '[]' ? [] : ((await phoneKeysOf(trx, row.company_id, [row.id])).get(row.id) ?? []));
    await saveFor(event)(trx, 'person', row.company_id, row.id, personSearchDoc(event.after, fields, phoneKeys));
  });
}

export function organizationSearchListener(): WriteListener<OrganizationRow> {
  return recorder(async (trx, event) => {
    const row = event.after ?? event.before;
    if (!row) return;
    if (event.after === null || event.after.deleted_time !== null) return removeSearchDoc(trx, 'organization', row.id);
    await saveFor(event)(trx, 'organization', row.company_id, row.id, organizationSearchDoc(event.after, []));
  });
}

export function dealSearchListener(): WriteListener<DealRow> {
  return recorder(async (trx, event) => {
    const row = event.after ?? event.before;
    if (!row) return;
    if (event.after === null || event.after.deleted_time !== null) return removeSearchDoc(trx, 'deal', row.id);
    await saveFor(event)(trx, 'deal', row.company_id, row.id, dealSearchDoc(event.after));
  });
}

/** Indexes persons just inserted through the bulk path (which notifies no listeners), in the caller's transaction. */
export async function indexNewPersons(
  trx: Executor,
  companyId: number,
  rows: PersonRow[],
  fieldsOf: SearchableFieldsOf = searchableCustomFields,
  /** The rows' phone keys when the caller has them (an import computed them); read from person_contacts otherwise. */
  knownPhoneKeys?: ReadonlyMap<number, string[]>,
): Promise<void> {
  const fields = await fieldsOf(trx, companyId);
  const phoneKeys = knownPhoneKeys ?? (await phoneKeysOf(trx, companyId, rows.filter((r) => r.phones !== '[]').map((r) => r.id)));
  await insertSearchDocsBulk(trx, 'person', companyId, rows.map((row) => ({ id: row.id, doc: personSearchDoc(row, fields, phoneKeys.get(row.id)) })));
}

/**
 * Bump when what a row's search text holds, or how the index is laid out, changes: the next start re-indexes every
 * row. Indexed: name, emails, phone digits, notes, searchable custom fields; organizations' name and address;
 * deals' title. Version 2: on SQLite, a trigram table per column instead of one for all. Version 4: words' first
 * two and three letters in the terms index. Version 5: deals. Version 6: on PostgreSQL, the terms tables. Version 7:
 * words' first five letters in the terms index. Version 8: 1-character words in the terms index (an upgrade from 7
 * rewrites only the rows holding one: search-index-upgrades.ts).
 */
export const SEARCH_INDEX_VERSION = '8';
const VERSION_SETTING = 'search_index_version';
const REBUILD_BATCH = 2000;

/**
 * Rebuilds the whole index when it was built by another version of the format (or never, as right after the
 * migration that creates it), or upgrades it where the change only adds terms to some rows. One process does it
 * while the others wait on the lock and then find it current. True when it rebuilt or upgraded.
 */
export async function rebuildSearchIndexIfStale(db: Kysely<Database>, fieldsOf: SearchableFieldsOf = searchableCustomFields): Promise<boolean> {
  if ((await getSetting(db, VERSION_SETTING)) === SEARCH_INDEX_VERSION) return false;
  const outcome = await db.transaction().execute(async (trx): Promise<'current' | 'upgraded' | 'rebuilt'> => {
    await lockSearchRebuild(trx);
    const version = await getSetting(trx, VERSION_SETTING);
    if (version === SEARCH_INDEX_VERSION) return 'current';
    const upgrade = version === undefined ? undefined : SEARCH_INDEX_UPGRADES[version];
    if (upgrade) {
      await upgrade(trx);
      await setSetting(trx, VERSION_SETTING, SEARCH_INDEX_VERSION);
      return 'upgraded';
    }
    await rebuildEntity(trx, 'person', fieldsOf);
    await rebuildEntity(trx, 'organization', fieldsOf);
    await rebuildEntity(trx, 'deal', fieldsOf);
    await setSetting(trx, VERSION_SETTING, SEARCH_INDEX_VERSION);
    return 'rebuilt';
  });
  if (outcome === 'rebuilt') {
    await db.transaction().execute((trx) => compactSearchIndex(trx));
    await refreshStatisticsAfterRebuild(db, analyzeSearchIndex);
  }
  return outcome !== 'current';
}

async function rebuildEntity(trx: Executor, entity: SearchEntity, fieldsOf: SearchableFieldsOf): Promise<void> {
  await clearSearchIndex(trx, entity);
  const fieldsByCompany = new Map<number, SearchableField[]>();
  let afterId = 0;
  for (;;) {
    const rows = await liveRowsAfter(trx, entity, afterId, REBUILD_BATCH);
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1].id;
    const byCompany = new Map<number, Array<{ id: number; doc: Record<string, string> }>>();
    const phoneKeys = entity === 'person' ? await phoneKeysOfRows(trx, rows as PersonRow[]) : new Map<number, string[]>();
    for (const row of rows) {
      let fields = fieldsByCompany.get(row.company_id);
      if (!fields) fieldsByCompany.set(row.company_id, (fields = entity === 'person' ? await fieldsOf(trx, row.company_id) : []));
      const doc =
        entity === 'person'
          ? personSearchDoc(row as PersonRow, fields, phoneKeys.get(row.id))
          : entity === 'organization'
            ? organizationSearchDoc(row as OrganizationRow, fields)
            : dealSearchDoc(row as DealRow);
      const list = byCompany.get(row.company_id) ?? [];
      list.push({ id: row.id, doc });
      byCompany.set(row.company_id, list);
    }
    for (const [companyId, docs] of byCompany) await insertSearchDocsBulk(trx, entity, companyId, docs);
  }
}

/** The phone keys of rows of any companies, one query per company. */
async function phoneKeysOfRows(trx: Executor, rows: PersonRow[]): Promise<Map<number, string[]>> {
  const byCompany = new Map<number, number[]>();
  for (const row of rows) if (row.phones !== '[]') byCompany.set(row.company_id, [...(byCompany.get(row.company_id) ?? []), row.id]);
  const keys = new Map<number, string[]>();
  for (const [companyId, ids] of byCompany) for (const [id, list] of await phoneKeysOf(trx, companyId, ids)) keys.set(id, list);
  return keys;
}

/**
 * Makes the next rebuildSearchIndexIfStale rebuild the index whatever its version: for changes to what the index
 * is built from that live elsewhere (the phone keys, re-keyed by identity-rebuild.ts).
 */
export async function invalidateSearchIndex(db: Executor): Promise<void> {
  await setSetting(db, VERSION_SETTING, 'stale');
}
