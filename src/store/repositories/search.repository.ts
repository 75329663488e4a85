import { sql } from 'kysely';
import { dialectOf } from '../dialect/index.js';
import type { Executor } from '../executor.js';
import { type Lookup, type SearchIndex, indexKey, lookupKey, tierLookups, tierRunLookup } from '../search/index-lookups.js';
import { SEARCH_TABLES, type SearchDoc, type SearchDocRow, type SearchEntity, type SearchTiers } from '../search/search-match.js';
import { columnList, docOf, sameDoc } from '../search/search-rows.js';
import type { MergeStep, MergeTarget } from '../search/search-index-backend.js';
import type { DealRow } from './deals.repository.js';
import type { OrganizationRow } from './organizations.repository.js';
import type { PersonRow } from './persons.repository.js';

/*
 * The search index: one row per live person / organization / deal in `<entity>_search`, written here, plus the
 * entries a database indexes it with, written and read by the dialect's search index backend (FTS5 tables on
 * SQLite, pg_trgm indexes and a terms table on PostgreSQL: ../search/*-search-index.ts). Which index answers which
 * match is decided once for both (../search/index-lookups.ts). Writes run inside the caller's transaction.
 */

const searchIndex = (db: Executor) => dialectOf(db).searchIndex;
const ROWS_PER_STATEMENT = 400;

/** Makes the index hold `doc` for the row; a no-op when it already does (most edits touch no searched field). */
export async function saveSearchDoc(db: Executor, entity: SearchEntity, companyId: number, id: number, doc: SearchDoc): Promise<void> {
  const before = await searchIndex(db).writeRow(db, entity, companyId, { id, doc });
  if (before && sameDoc(entity, before.doc, doc)) return;
  await searchIndex(db).replace(db, entity, companyId, { id, doc }, before);
}

/** Indexes a row just created (no search row yet): fewer round trips than `saveSearchDoc`, the same index after. */
export async function saveNewSearchDoc(db: Executor, entity: SearchEntity, companyId: number, id: number, doc: SearchDoc): Promise<void> {
  if (!(await searchIndex(db).writeNew(db, entity, companyId, { id, doc }))) await saveSearchDoc(db, entity, companyId, id, doc);
}

export async function removeSearchDoc(db: Executor, entity: SearchEntity, id: number): Promise<void> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const deleted = await sql<Record<string, unknown>>`delete from ${sql.table(table)} where ${sql.ref(idColumn)} = ${id} returning ${sql.ref(idColumn)} as id, company_id, ${columnList(columns)}`.execute(db);
  const row = deleted.rows[0];
  if (row) await searchIndex(db).remove(db, entity, Number(row.company_id), docOf(entity, row));
}

/** Indexes rows that are not indexed yet, in few statements: the bulk loading path (imports, seeding, backfill). */
export async function insertSearchDocsBulk(db: Executor, entity: SearchEntity, companyId: number, rows: SearchDocRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await searchIndex(db).insertBulk(db, entity, companyId, rows.slice(start, start + ROWS_PER_STATEMENT));
  }
}

/** Brings the index up to every committed write (SQLite indexes writes in batches); run before a search reads it. */
export async function catchUpSearchIndex(db: Executor): Promise<void> {
  await searchIndex(db).catchUp(db);
}

/** Rows this process has written into the search index so far (SQLite; PostgreSQL needs no merging and says 0). */
export function searchIndexRowsIndexed(db: Executor): number {
  return searchIndex(db).rowsIndexed();
}

/** One bounded step of merging the search index's pieces; false when there is nothing to merge. */
export function searchIndexCompactionStep(db: Executor, merge?: MergeStep, until?: MergeTarget): Promise<boolean> {
  return searchIndex(db).compactionStep(db, merge, until);
}

/** The outcome of reading a run of tiers at once: all their candidates, or only that there are too many. */
export type TierRun = { complete: true; through: number; rows: SearchDocRow[] } | { complete: false; through: number };

/**
 * Tiers `from`..`through` read in one query, when one index answers them all (exactly, or with `supersets` also
 * through lookups that find more than the tiers hold): if they have `limit` candidates or fewer in all (the
 * exact-value tiers nearly always do, as do the later tiers of a several-word term naming one person), one query
 * serves the whole run. Undefined when no run of two or more tiers starts at `from`.
 */
export async function tierRunCandidates(db: Executor, search: SearchTiers, companyId: number, from: number, limit: number, supersets = false): Promise<TierRun | undefined> {
  const run = tierRunLookup(search.entity, search.tiers, from, supersets);
  if (!run) return undefined;
  const read = searchIndex(db).runCandidates(db, search.entity, run.index, run.lookup, companyId, limit + 1);
  if (!read) return undefined;
  const rows = await read;
  return rows.length <= limit ? { complete: true, through: run.through, rows } : { complete: false, through: run.through };
}

/**
 * What one search has read whole: a query's every row, by its index and positive lookup. Several tiers of a
 * several-word term look up the same words (in the same column), so later tiers reuse the rows instead of reading
 * them again; the caller's check of each row against the earlier tiers still applies.
 */
export type CandidateMemo = Map<string, SearchDocRow[]>;

/**
 * Candidates of tier `tierIndex` in id order after `afterId`, with their indexed text: up to `limit` of them,
 * including every member of the tier there (the caller checks each against the earlier tiers; the index excludes
 * most of those itself).
 */
export async function tierCandidates(
  db: Executor,
  search: SearchTiers,
  companyId: number,
  tierIndex: number,
  afterId: number,
  limit: number,
  memo: CandidateMemo = new Map(),
): Promise<SearchDocRow[]> {
  const lookups = tierLookups(search.entity, search.tiers, tierIndex);
  const read = async (index: SearchIndex, positive: Lookup, query: () => Promise<SearchDocRow[]>) => {
    const key = `${indexKey(index)}\u0000${lookupKey(positive)}`;
    const known = afterId === 0 ? memo.get(key) : undefined;
    if (known) return known.slice(0, limit);
    const rows = await query();
    if (afterId === 0 && rows.length < limit) memo.set(key, rows);
    return rows;
  };
  const reads = searchIndex(db).tierReads({ db, search, lookups, companyId, tierIndex, afterId, limit, read });
  const lists = await Promise.all(reads);
  return lists.length === 1 ? lists[0] : mergeById(lists, limit);
}

function mergeById(lists: SearchDocRow[][], limit: number): SearchDocRow[] {
  const byId = new Map<number, SearchDocRow>();
  for (const list of lists) for (const row of list) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(0, limit);
}

/** The indexed text of the given rows of a company (missing ids are left out). */
export async function loadSearchDocs(db: Executor, entity: SearchEntity, companyId: number, ids: readonly number[]): Promise<SearchDocRow[]> {
  if (ids.length === 0) return [];
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const result = await sql<Record<string, unknown>>`select ${sql.ref(idColumn)} as id, ${columnList(columns)} from ${sql.table(table)}
    where company_id = ${companyId} and ${sql.ref(idColumn)} in (${sql.join(ids)}) order by ${sql.ref(idColumn)}`.execute(db);
  return result.rows.map((row) => docOf(entity, row));
}

/** The ids of an organization's live persons, lowest first, at most `max` of them. */
export async function organizationPersonIds(db: Executor, companyId: number, organizationId: number, max: number): Promise<number[]> {
  const rows = await db
    .selectFrom('persons')
    .select('id')
    .where('company_id', '=', companyId)
    .where('org_id', '=', organizationId)
    .where('deleted_time', 'is', null)
    .orderBy('id')
    .limit(max)
    .execute();
  return rows.map((r) => r.id);
}

/** Empties an entity's index (every company) before a rebuild. */
export async function clearSearchIndex(db: Executor, entity: SearchEntity): Promise<void> {
  await sql`delete from ${sql.table(SEARCH_TABLES[entity].table)}`.execute(db);
  await searchIndex(db).clear(db, entity);
}

/** Empties a company's search index (a company reset), after its search rows were removed one by one. */
export async function clearCompanySearchIndex(db: Executor, companyId: number): Promise<void> {
  await searchIndex(db).clearCompany(db, companyId);
}

/** Holds off other processes' rebuilds until the transaction ends (SQLite's write transaction already does). */
export async function lockSearchRebuild(trx: Executor): Promise<void> {
  await dialectOf(trx).lockUntilCommit(trx, SEARCH_REBUILD_LOCK);
}
const SEARCH_REBUILD_LOCK = 0x5ea2c4;

const ENTITY_TABLES = { person: 'persons', organization: 'organizations', deal: 'deals' } as const;

/** Live persons, organizations or deals of every company after an id, in id order: the rows a rebuild indexes. */
export async function liveRowsAfter(db: Executor, entity: SearchEntity, afterId: number, limit: number): Promise<Array<PersonRow | OrganizationRow | DealRow>> {
  const table = ENTITY_TABLES[entity] as 'persons';
  return db.selectFrom(table).selectAll().where('id', '>', afterId).where('deleted_time', 'is', null).orderBy('id').limit(limit).execute();
}

/** Search rows of every company after an id, in id order, each with its company: the rows an upgrade looks through. */
export async function searchRowsAfter(db: Executor, entity: SearchEntity, afterId: number, limit: number): Promise<Array<SearchDocRow & { companyId: number }>> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const result = await sql<Record<string, unknown>>`select ${sql.ref(idColumn)} as id, company_id, ${columnList(columns)} from ${sql.table(table)}
    where ${sql.ref(idColumn)} > ${afterId} order by ${sql.ref(idColumn)} limit ${limit}`.execute(db);
  return result.rows.map((row) => ({ ...docOf(entity, row), companyId: Number(row.company_id) }));
}

/** Writes the terms of a company's indexed rows afresh (an index upgrade that adds terms to them). */
export async function rewriteSearchTerms(db: Executor, entity: SearchEntity, companyId: number, rows: SearchDocRow[]): Promise<void> {
  if (rows.length > 0) await searchIndex(db).rewriteTerms(db, entity, companyId, rows);
}

/** Refreshes the planner's statistics of the search tables after a bulk load or a rebuild. */
export async function analyzeSearchIndex(db: Executor): Promise<void> {
  await searchIndex(db).analyze(db);
}

/** Merges the index after a bulk load or a rebuild (SQLite's FTS5 segments), in a write transaction of its own. */
export async function compactSearchIndex(db: Executor): Promise<void> {
  await searchIndex(db).compact(db);
}
