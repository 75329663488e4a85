import { CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { PLAN_PER_CALL } from '../statement-cache.js';
import { ftsTableName, ftsTables, matchExpression } from '../search/fts5-queries.js';
import { type IndexLookup, type Lookup, type SearchIndex, indexKey, lookupKey, termTokens, tierLookups, tierRunLookup } from '../search/index-lookups.js';
import { postgresTermsTable, termsIdsQuery } from '../search/postgres-terms.js';
import { type ColumnMatch, SEARCH_TABLES, type SearchDoc, type SearchDocRow, type SearchEntity, type SearchTiers, broadestMatches } from '../search/search-match.js';
import { likePattern } from '../search/trigram-like.js';
import type { DealRow } from './deals.repository.js';
import type { OrganizationRow } from './organizations.repository.js';
import type { PersonRow } from './persons.repository.js';
import { dialectOf } from '../dialect/index.js';

/*
 * The search index: one row per live person / organization / deal in `<entity>_search`, plus, on SQLite, FTS5
 * indexes over it (see ../search/fts5-queries.ts); on PostgreSQL, pg_trgm indexes on the row's columns (see
 * ../search/trigram-like.ts) and a table of terms (see ../search/postgres-terms.ts). Which index answers which
 * match is decided once for both (../search/index-lookups.ts). Writes run inside the caller's transaction.
 */

/** Whether the search terms live in a btree table (PostgreSQL) rather than in FTS5 tables (SQLite). */
const hasTermsTable = (db: Executor) => dialectOf(db).termsTable;
const columnList = (columns: readonly string[], prefix?: string) => sql.join(columns.map((c) => sql.ref(prefix ? `${prefix}.${c}` : c)));
const ROWS_PER_STATEMENT = 400;

function docOf(entity: SearchEntity, row: Record<string, unknown>): SearchDocRow {
  const doc: SearchDoc = {};
  for (const column of SEARCH_TABLES[entity].columns) doc[column] = row[column] as string;
  return { id: Number(row.id), doc };
}

function sameDoc(entity: SearchEntity, a: SearchDoc, b: SearchDoc): boolean {
  return SEARCH_TABLES[entity].columns.every((c) => a[c] === b[c]);
}

/** Makes the index hold `doc` for the row; a no-op when it already does (most edits touch no searched field). */
export async function saveSearchDoc(db: Executor, entity: SearchEntity, companyId: number, id: number, doc: SearchDoc): Promise<void> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const existing = await sql<Record<string, unknown>>`select ${sql.ref(idColumn)} as id, company_id, ${columnList(columns)} from ${sql.table(table)} where ${sql.ref(idColumn)} = ${id}`.execute(db);
  const current = existing.rows[0];
  if (current && sameDoc(entity, docOf(entity, current).doc, doc)) return;
  const values = columns.map((c) => doc[c] ?? '');
  await sql`insert into ${sql.table(table)} (${sql.ref(idColumn)}, company_id, ${columnList(columns)}) values (${id}, ${companyId}, ${sql.join(values)})
    on conflict (${sql.ref(idColumn)}) do update set company_id = excluded.company_id, ${sql.join(columns.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`.execute(db);
  if (hasTermsTable(db)) {
    // Only the terms that changed: an edit of one field leaves the other fields' terms where they are.
    const before = current ? new Set(termTokens(entity, docOf(entity, current).doc)) : new Set<string>();
    const after = new Set(termTokens(entity, doc));
    const moved = current !== undefined && Number(current.company_id) !== companyId;
    if (current) await deleteTerms(db, entity, Number(current.company_id), id, [...before].filter((t) => moved || !after.has(t)));
    const added = [...after].filter((t) => moved || !before.has(t));
    await insertTerms(db, entity, companyId, added, added.map(() => id));
    return;
  }
  if (current) await deleteFromFts(db, entity, docOf(entity, current));
  await insertIntoFts(db, entity, [{ id, doc }]);
}

/** Removes a row's terms from the PostgreSQL terms table: a probe of the primary key per term. */
async function deleteTerms(db: Executor, entity: SearchEntity, companyId: number, id: number, terms: string[]): Promise<void> {
  if (terms.length === 0) return;
  await sql`delete from ${sql.table(postgresTermsTable(entity))} where company_id = ${companyId} and term = any(${terms}::text[]) and ${sql.ref(SEARCH_TABLES[entity].id)} = ${id}`.execute(db);
}

/**
 * Adds terms to the PostgreSQL terms table: `terms[k]` of row `ids[k]`. Sent as two arrays (one statement text
 * whatever the count, and no limit on the number of parameters to mind); rows already there are kept.
 */
async function insertTerms(db: Executor, entity: SearchEntity, companyId: number, terms: string[], ids: number[]): Promise<void> {
  if (terms.length === 0) return;
  await sql`insert into ${sql.table(postgresTermsTable(entity))} (company_id, term, ${sql.ref(SEARCH_TABLES[entity].id)})
    select ${companyId}::integer, * from unnest(${terms}::text[], ${ids}::integer[]) on conflict do nothing`.execute(db);
}

export async function removeSearchDoc(db: Executor, entity: SearchEntity, id: number): Promise<void> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const deleted = await sql<Record<string, unknown>>`delete from ${sql.table(table)} where ${sql.ref(idColumn)} = ${id} returning ${sql.ref(idColumn)} as id, company_id, ${columnList(columns)}`.execute(db);
  const row = deleted.rows[0];
  if (!row) return;
  if (hasTermsTable(db)) await deleteTerms(db, entity, Number(row.company_id), id, [...new Set(termTokens(entity, docOf(entity, row).doc))]);
  else await deleteFromFts(db, entity, docOf(entity, row));
}

/** Indexes rows that are not indexed yet, in few statements: the bulk loading path (imports, seeding, backfill). */
export async function insertSearchDocsBulk(db: Executor, entity: SearchEntity, companyId: number, rows: SearchDocRow[]): Promise<void> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const postgres = hasTermsTable(db);
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values = chunk.map((r) => [r.id, companyId, ...columns.map((c) => r.doc[c] ?? '')]);
    // A rebuild can run while other processes write: a row they indexed meanwhile is newer than the one read here
    // (and has its terms already).
    const inserted = await insertValues(db, table, [idColumn, 'company_id', ...columns], values, postgres ? ` on conflict do nothing returning "${idColumn}" as id` : '');
    if (!postgres) {
      await insertIntoFts(db, entity, chunk);
      continue;
    }
    const fresh = new Set(inserted.map((r) => Number(r.id)));
    const terms: string[] = [];
    const ids: number[] = [];
    for (const row of chunk) {
      if (!fresh.has(row.id)) continue;
      for (const term of new Set(termTokens(entity, row.doc))) {
        terms.push(term);
        ids.push(row.id);
      }
    }
    await insertTerms(db, entity, companyId, terms, ids);
  }
}

/** Each column's text into its trigram index (empty columns have no row there), and the row's terms. */
async function insertIntoFts(db: Executor, entity: SearchEntity, rows: SearchDocRow[]): Promise<void> {
  for (const column of SEARCH_TABLES[entity].columns) {
    const values = rows.filter((r) => r.doc[column]).map((r) => [r.id, r.doc[column]]);
    if (values.length > 0) await insertValues(db, ftsTableName(entity, { kind: 'column', column }), ['rowid', 'text'], values);
  }
  const terms = rows.map((r) => [r.id, termTokens(entity, r.doc).join(' ')]).filter((t) => t[1] !== '');
  if (terms.length > 0) await insertValues(db, ftsTableName(entity, { kind: 'terms' }), ['rowid', 'tokens'], terms);
}

const insertTexts = new Map<string, string>();

/**
 * A multi-row INSERT sent as ready SQL text: bulk loads build many such statements, and assembling them through
 * the query builder would cost more than SQLite takes to run them. Names are this module's own constants.
 */
async function insertValues(db: Executor, table: string, columns: string[], rows: unknown[][], suffix = ''): Promise<Array<Record<string, unknown>>> {
  const postgres = hasTermsTable(db);
  const key = `${postgres}|${table}|${columns.join(',')}|${rows.length}|${suffix}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = () => `(${columns.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${rows.map(tuple).join(', ')}${suffix}`;
    if (insertTexts.size < 200) insertTexts.set(key, text);
  }
  return (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, rows.flat()))).rows;
}

/** Removes a row from the FTS indexes it is in (contentless tables do not know, so the indexed text tells). */
async function deleteFromFts(db: Executor, entity: SearchEntity, row: SearchDocRow): Promise<void> {
  const tables = SEARCH_TABLES[entity].columns.filter((c) => row.doc[c]).map((column) => ftsTableName(entity, { kind: 'column', column }));
  if (termTokens(entity, row.doc).length > 0) tables.push(ftsTableName(entity, { kind: 'terms' }));
  for (const table of tables) await sql`delete from ${sql.table(table)} where rowid = ${row.id}`.execute(db);
}

/** The outcome of reading a run of tiers at once: all their candidates, or only that there are too many. */
export type TierRun = { complete: true; through: number; rows: SearchDocRow[] } | { complete: false; through: number };

/**
 * Tiers `from`..`through` read in one query, when one index answers them all exactly: if they have `limit`
 * candidates or fewer in all (the exact-value tiers nearly always do), one query serves the whole run. Undefined
 * when no run of two or more tiers starts at `from`.
 */
export async function tierRunCandidates(db: Executor, search: SearchTiers, companyId: number, from: number, limit: number): Promise<TierRun | undefined> {
  const run = tierRunLookup(search.entity, search.tiers, from);
  if (!run) return undefined;
  let rows: SearchDocRow[];
  if (!hasTermsTable(db)) rows = await sqliteCandidates(db, search.entity, run.index, run.lookup, companyId, 0, limit + 1);
  // PostgreSQL reads column indexes tier by tier: an OR of several tiers' LIKE patterns costs it more than the
  // queries it saves.
  else if (run.index.kind === 'terms') rows = await postgresTermsCandidates(db, search.entity, run.lookup, companyId, 0, limit + 1);
  else return undefined;
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
  const postgres = hasTermsTable(db);
  const lookups = tierLookups(search.entity, search.tiers, tierIndex);
  const read = async (key: string, query: () => Promise<SearchDocRow[]>) => {
    const known = afterId === 0 ? memo.get(key) : undefined;
    if (known) return known.slice(0, limit);
    const rows = await query();
    if (afterId === 0 && rows.length < limit) memo.set(key, rows);
    return rows;
  };
  const memoKey = (index: SearchIndex, positive: Lookup) => `${indexKey(index)}\u0000${lookupKey(positive)}`;
  const reads: Array<Promise<SearchDocRow[]>> = [];
  if (!postgres) {
    for (const { index, positive, lookup } of lookups) {
      reads.push(read(memoKey(index, positive), () => sqliteCandidates(db, search.entity, index, lookup, companyId, afterId, limit)));
    }
  } else {
    // The terms index is a table of its own; every column index sits on the search table, so the column matches
    // make one query there, which excludes the earlier tiers' rows by their text.
    const terms = lookups.find((l) => l.index.kind === 'terms');
    if (terms) reads.push(read(memoKey(terms.index, terms.positive), () => postgresTermsCandidates(db, search.entity, terms.lookup, companyId, afterId, limit)));
    const columns = lookups.filter((l) => l.index.kind === 'column');
    if (columns.length > 0) reads.push(postgresLikeCandidates(db, search, columns, companyId, tierIndex, afterId, limit));
  }
  const lists = await Promise.all(reads);
  return lists.length === 1 ? lists[0] : mergeById(lists, limit);
}

async function sqliteCandidates(
  db: Executor,
  entity: SearchEntity,
  index: SearchIndex,
  lookup: Lookup,
  companyId: number,
  afterId: number,
  limit: number,
): Promise<SearchDocRow[]> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const fts = ftsTableName(entity, index);
  // CROSS JOIN keeps the FTS index as the outer loop: it yields matches in rowid order and LIMIT stops it early.
  const result = await sql<Record<string, unknown>>`select s.${sql.ref(idColumn)} as id, ${columnList(columns, 's')}
    from ${sql.table(fts)} cross join ${sql.table(table)} as s
    where ${sql.table(fts)} match ${matchExpression(lookup)} and ${sql.ref(`${fts}.rowid`)} > ${afterId}
      and s.${sql.ref(idColumn)} = ${sql.ref(`${fts}.rowid`)} and s.company_id = ${companyId}
    order by ${sql.ref(`${fts}.rowid`)} limit ${limit}`.execute(db);
  return result.rows.map((row) => docOf(entity, row));
}

/**
 * A lookup in the PostgreSQL terms table, with the rows' indexed text. A named statement (planned generically after
 * a few calls): the plan's shape is fixed by the query itself (see termsIdsQuery), and its estimated cost, a LIMIT
 * over index probes, stays far below the point where JIT compilation starts.
 */
async function postgresTermsCandidates(db: Executor, entity: SearchEntity, lookup: Lookup, companyId: number, afterId: number, limit: number): Promise<SearchDocRow[]> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const ids = termsIdsQuery(entity, lookup, companyId, afterId, limit);
  const rows = await sql<Record<string, unknown>>`select s.${sql.ref(idColumn)} as id, ${columnList(columns, 's')} from (${ids}) as c
    join ${sql.table(table)} as s on s.${sql.ref(idColumn)} = c.id where s.company_id = ${companyId} order by c.id`.execute(db);
  return rows.rows.map((row) => docOf(entity, row));
}

/** Column matches on PostgreSQL: LIKE on the search table's pg_trgm-indexed columns, minus the earlier tiers' rows. */
async function postgresLikeCandidates(
  db: Executor,
  search: SearchTiers,
  lookups: IndexLookup[],
  companyId: number,
  tierIndex: number,
  afterId: number,
  limit: number,
): Promise<SearchDocRow[]> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[search.entity];
  const positive = lookups.flatMap((l) => l.matches);
  const negative = broadestMatches(search.tiers.slice(0, tierIndex).flat());
  const any = (matches: ColumnMatch[]): RawBuilder<unknown> => sql.join(matches.map((m) => sql`${sql.ref(m.column)} like ${likePattern(m)}`), sql` or `);
  const excluded = negative.length === 0 ? sql`` : sql`and not (${any(negative)})`;
  const result = await withoutJit(db, (conn) =>
    sql<Record<string, unknown>>`${sql.raw(PLAN_PER_CALL)}select ${sql.ref(idColumn)} as id, ${columnList(columns)} from ${sql.table(table)}
      where company_id = ${companyId} and ${sql.ref(idColumn)} > ${afterId} and (${any(positive)}) ${excluded}
      order by ${sql.ref(idColumn)} limit ${limit}`.execute(conn),
  );
  return result.rows.map((row) => docOf(search.entity, row));
}

/**
 * Runs a search read with PostgreSQL's JIT compilation off. JIT fires on the planner's cost estimate, which for a
 * LIKE over a large company's rows can pass `jit_above_cost` while the LIMIT stops the read after a few pages:
 * compiling then costs tens of milliseconds for a query that takes a few. `SET LOCAL` in a transaction of its own
 * keeps the setting to this read (the `begin` and the `set` go in one round trip, one simple-protocol message; the
 * wrapper costs about 0.1 ms). Inside a caller's transaction the read runs as it is: a `SET LOCAL` there would last
 * until that transaction ends.
 */
async function withoutJit<T>(db: Executor, read: (db: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return read(db);
  return db.connection().execute(async (conn) => {
    await sql.raw(`${PLAN_PER_CALL}begin; set local jit = off`).execute(conn);
    try {
      const result = await read(conn);
      await sql.raw(`commit`).execute(conn);
      return result;
    } catch (err) {
      await sql.raw(`rollback`).execute(conn).catch(() => undefined);
      throw err;
    }
  });
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

/**
 * Empties an entity's index before a rebuild. On SQLite the FTS5 tables are dropped and made anew, so a rebuild
 * also moves an index built in an earlier layout (one trigram table for all columns) to the current one. On
 * PostgreSQL the search rows and the terms table are emptied.
 */
export async function clearSearchIndex(db: Executor, entity: SearchEntity): Promise<void> {
  const { table, columns } = SEARCH_TABLES[entity];
  await sql`delete from ${sql.table(table)}`.execute(db);
  if (hasTermsTable(db)) {
    await sql`delete from ${sql.table(postgresTermsTable(entity))}`.execute(db);
    return;
  }
  for (const old of ['tri', 'terms', ...columns]) await sql`drop table if exists ${sql.table(`${table}_${old}`)}`.execute(db);
  await createFtsTables(db, entity);
}

export async function createFtsTables(db: Executor | Kysely<any>, entity: SearchEntity): Promise<void> {
  for (const { name, definition } of ftsTables(entity)) await sql`create virtual table ${sql.table(name)} using ${sql.raw(definition)}`.execute(db);
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

/**
 * Refreshes the planner's statistics of the search tables after a bulk load or a rebuild. On PostgreSQL, outside a
 * transaction, the tables are vacuumed too: a rebuild leaves every old row of the terms table dead (scans of a term
 * wade through them until autovacuum comes), and only a vacuum marks the pages all-visible, which lets a term's ids
 * come from the primary key alone (measured at 100,000 persons after a rebuild: a several-word tier 74 → 14 ms).
 */
export async function analyzeSearchIndex(db: Executor): Promise<void> {
  const postgres = hasTermsTable(db);
  const entities = Object.keys(SEARCH_TABLES) as SearchEntity[];
  const tables = [...entities.map((e) => SEARCH_TABLES[e].table), ...(postgres ? entities.map(postgresTermsTable) : [])];
  const command = postgres && !db.isTransaction ? sql`vacuum analyze` : sql`analyze`;
  for (const table of tables) await sql`${command} ${sql.table(table)}`.execute(db);
}
