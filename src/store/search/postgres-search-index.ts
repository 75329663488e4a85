import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { insertRows } from '../multi-row-insert.js';
import { PgStatement } from '../pg-statement.js';
import { PLAN_PER_CALL } from '../postgres-client.js';
import { type IndexLookup, type Lookup, termTokens } from './index-lookups.js';
import { replaceTermsStatements, termsDeletion, termsInsertion, writeNewStatement, writeRowStatement } from './postgres-index-writes.js';
import { POSTGRES_TERMS_TABLES, POSTGRES_TERM_COUNTING, postgresTermsTable, termsIdsQuery } from './postgres-terms.js';
import type { SearchIndexBackend } from './search-index-backend.js';
import { type ColumnMatch, SEARCH_TABLES, type SearchDocRow, type SearchEntity, type SearchTiers, broadestMatches } from './search-match.js';
import { docOf, rowValues, storedTextOf } from './search-rows.js';
import { termSizes } from './term-sizes.js';
import { likePattern } from './trigram-like.js';

const placeholder = (n: number) => `$${n}`;

/** The rows' distinct terms, each beside its row's id: the two arrays a terms insertion takes. */
function termsOfRows(entity: SearchEntity, rows: readonly SearchDocRow[]): { terms: string[]; ids: number[] } {
  const terms: string[] = [];
  const ids: number[] = [];
  for (const row of rows) {
    for (const term of new Set(termTokens(entity, row.doc))) {
      terms.push(term);
      ids.push(row.id);
    }
  }
  return { terms, ids };
}

/** PostgreSQL: pg_trgm indexes on the search rows' columns (trigram-like.ts) and a btree table of terms (postgres-terms.ts). */
export const postgresSearchIndex: SearchIndexBackend = {
  // One round trip: the previous text and the upsert (postgres-index-writes.ts).
  async writeRow(db, entity, companyId, row) {
    const result = await writeRowStatement(entity)(db, rowValues(entity, companyId, row));
    return result.rows[0] && storedTextOf(entity, result.rows[0]);
  },

  // One round trip: the search row and its terms. No other writer can have terms of a row whose search row this
  // statement inserted (one indexing it meanwhile waits on that uncommitted row), so the terms go in without ON
  // CONFLICT's extra probe of the key per term.
  async writeNew(db, entity, companyId, row) {
    const terms = [...new Set(termTokens(entity, row.doc))];
    const result = await writeNewStatement(entity)(db, { ...rowValues(entity, companyId, row), terms });
    return result.rows[0].inserted > 0;
  },

  async replace(db, entity, companyId, row, before) {
    // Only the terms that changed: an edit of one field leaves the other fields' terms where they are.
    const old = before ? new Set(termTokens(entity, before.doc)) : new Set<string>();
    const now = new Set(termTokens(entity, row.doc));
    const moved = before !== undefined && before.companyId !== companyId;
    const removed = before ? [...old].filter((t) => moved || !now.has(t)) : [];
    const added = [...now].filter((t) => moved || !old.has(t));
    if (removed.length === 0 && added.length === 0) return;
    const change = { id: row.id, removedFrom: before?.companyId ?? companyId, removed, companyId, added, ids: added.map(() => row.id) };
    await replaceTermsStatements(entity, removed.length > 0, added.length > 0)(db, change);
  },

  // Index entries are written with the row, into B-trees and GIN indexes, which need no merging.
  catchUp: async () => {},
  rowsIndexed: () => 0,
  compactionStep: async () => false,

  async remove(db, entity, companyId, row) {
    await termsDeletion(entity, companyId, row.id, [...new Set(termTokens(entity, row.doc))])?.execute(db);
  },

  async insertBulk(db, entity, companyId, rows) {
    const { table, id, columns } = SEARCH_TABLES[entity];
    // A rebuild can run while other processes write: a row they indexed meanwhile is newer than the one read here
    // (and has its terms already).
    const values = rows.map((r) => [r.id, companyId, ...columns.map((c) => r.doc[c] ?? '')]);
    const inserted = await insertRows(db, placeholder, table, [id, 'company_id', ...columns], values, ` on conflict do nothing returning "${id}" as id`);
    const fresh = new Set(inserted.map((r) => Number(r.id)));
    const { terms, ids } = termsOfRows(entity, rows.filter((row) => fresh.has(row.id)));
    // These rows' search rows were inserted by this statement, so no terms of theirs exist (a writer that indexes
    // one of them meanwhile waits on that uncommitted row): a plain insert, without ON CONFLICT's extra probe of the
    // key per row (measured: 600,000 terms 4.5 -> 3.4 s).
    await termsInsertion(entity, companyId, terms, ids, false)?.execute(db);
  },

  // The rows' terms as they are now, keeping those already there: an upgrade only ever adds terms.
  async rewriteTerms(db, entity, companyId, rows) {
    const { terms, ids } = termsOfRows(entity, rows);
    await termsInsertion(entity, companyId, terms, ids)?.execute(db);
  },

  // Column indexes are read tier by tier: an OR of several tiers' LIKE patterns costs more than the queries it saves.
  runCandidates: (db, entity, index, lookup, companyId, limit) => (index.kind === 'terms' ? termsCandidates(db, entity, lookup, companyId, 0, limit) : undefined),

  tierReads({ db, search, lookups, companyId, tierIndex, afterId, limit, read }) {
    // The terms index is a table of its own; every column index sits on the search table, so the column matches
    // make one query there, which excludes the earlier tiers' rows by their text.
    const reads: Array<Promise<SearchDocRow[]>> = [];
    const terms = lookups.find((l) => l.index.kind === 'terms');
    if (terms) reads.push(read(terms.index, terms.positive, () => termsCandidates(db, search.entity, terms.lookup, companyId, afterId, limit)));
    const columns = lookups.filter((l) => l.index.kind === 'column');
    if (columns.length > 0) reads.push(likeCandidates(db, search, columns, companyId, tierIndex, afterId, limit));
    return reads;
  },

  async clear(db, entity) {
    await sql`delete from ${sql.table(postgresTermsTable(entity))}`.execute(db);
  },

  async clearCompany(db, companyId) {
    for (const table of Object.values(POSTGRES_TERMS_TABLES)) await sql`delete from ${sql.table(table)} where company_id = ${companyId}`.execute(db);
  },

  /**
   * Outside a transaction the tables are vacuumed too: a rebuild leaves every old row of the terms table dead (scans
   * of a term wade through them until autovacuum comes), and only a vacuum marks the pages all-visible, which lets a
   * term's ids come from the primary key alone (measured at 100,000 persons after a rebuild: a several-word tier
   * 74 → 14 ms).
   */
  async analyze(db) {
    const entities = Object.keys(SEARCH_TABLES) as SearchEntity[];
    const command = db.isTransaction ? sql`analyze` : sql`vacuum analyze`;
    for (const table of [...entities.map((e) => SEARCH_TABLES[e].table), ...entities.map(postgresTermsTable)]) await sql`${command} ${sql.table(table)}`.execute(db);
  },

  // B-trees and GIN indexes need no merging; the vacuum in `analyze` is what a bulk load needs here.
  compact: async () => {},
};

/**
 * A lookup in the terms table, with the rows' indexed text. A named statement (planned generically after a few
 * calls): the plan's shape is fixed by the query itself (see termsIdsQuery). A union of several tiers' lookups is
 * costed as if each LIMIT read in full, past `jit_above_cost`: the pool's connections run without JIT (db.ts).
 */
async function termsCandidates(db: Executor, entity: SearchEntity, lookup: Lookup, companyId: number, afterId: number, limit: number): Promise<SearchDocRow[]> {
  const { table, id: idColumn } = SEARCH_TABLES[entity];
  const sizes = await termSizes(db, entity, companyId, lookup, POSTGRES_TERM_COUNTING);
  const statement = new PgStatement();
  const ids = termsIdsQuery(statement, entity, lookup, companyId, afterId, limit, sizes);
  const text = `select s."${idColumn}" as id, ${searchColumns(entity, 's.')} from (${ids}) as c
    join "${table}" as s on s."${idColumn}" = c.id where s.company_id = ${statement.value(companyId)} order by c.id`;
  const result = await db.executeQuery<Record<string, unknown>>(statement.compiled(text));
  return result.rows.map((row) => docOf(entity, row));
}

/** Column matches: LIKE on the search table's pg_trgm-indexed columns, minus the earlier tiers' rows. */
async function likeCandidates(
  db: Executor,
  search: SearchTiers,
  lookups: IndexLookup[],
  companyId: number,
  tierIndex: number,
  afterId: number,
  limit: number,
): Promise<SearchDocRow[]> {
  const { table, id: idColumn } = SEARCH_TABLES[search.entity];
  const positive = lookups.flatMap((l) => l.matches);
  const negative = broadestMatches(search.tiers.slice(0, tierIndex).flat());
  const statement = new PgStatement();
  const any = (matches: ColumnMatch[]) => matches.map((m) => `${searchColumn(search.entity, m.column)} like ${statement.value(likePattern(m))}`).join(' or ');
  const where = `company_id = ${statement.value(companyId)} and "${idColumn}" > ${statement.value(afterId)} and (${any(positive)})`;
  const excluded = negative.length === 0 ? '' : ` and not (${any(negative)})`;
  const text = `${PLAN_PER_CALL}select "${idColumn}" as id, ${searchColumns(search.entity)} from "${table}"
      where ${where}${excluded} order by "${idColumn}" limit ${statement.value(limit)}`;
  const result = await db.executeQuery<Record<string, unknown>>(statement.compiled(text));
  return result.rows.map((row) => docOf(search.entity, row));
}

/** The entity's search columns, quoted, for a select list. */
const searchColumns = (entity: SearchEntity, prefix = '') => SEARCH_TABLES[entity].columns.map((c) => `${prefix}"${c}"`).join(', ');

/** A column of the entity's search row, quoted; anything else is a fault of the caller, never SQL. */
function searchColumn(entity: SearchEntity, column: string): string {
  if (!(SEARCH_TABLES[entity].columns as readonly string[]).includes(column)) throw new Error(`${entity} search has no column ${column}`);
  return `"${column}"`;
}
