import { type Kysely, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { insertRows } from '../multi-row-insert.js';
import { madeOnce } from '../made-once.js';
import { precompiled } from '../precompiled.js';
import { ftsTableName, ftsTables, matchExpression, withRarestParts } from './fts5-queries.js';
import { insertIntoFts, rewriteFtsTerms } from './fts5-writes.js';
import { type Lookup, type SearchIndex } from './index-lookups.js';
import type { SearchIndexBackend } from './search-index-backend.js';
import { SEARCH_TABLES, type SearchDocRow, type SearchEntity } from './search-match.js';
import { clearBacklog, hasBacklog, indexBacklog, queueForIndex } from './sqlite-backlog.js';
import { compactionStep, countIndexed, indexedSoFar, setMergeSettings } from './sqlite-compaction.js';
import { type RowValues, columnList, docOf, insertNewRow, rowValues, sameDoc, storedTextOf, upsertRow } from './search-rows.js';
import { type TermCounting, termSizes } from './term-sizes.js';

const placeholder = () => '?';

/** SQLite: contentless FTS5 tables per searched column and for the terms (see fts5-queries.ts). */
export const sqliteSearchIndex: SearchIndexBackend = {
  async writeRow(db, entity, companyId, row) {
    const statements = rowStatements(entity);
    const existing = await statements.stored(db, { id: row.id });
    const before = existing.rows[0] && storedTextOf(entity, existing.rows[0]);
    if (!before || !sameDoc(entity, before.doc, row.doc)) await statements.upsert(db, rowValues(entity, companyId, row));
    return before;
  },

  async writeNew(db, entity, companyId, row) {
    const inserted = await rowStatements(entity).insertNew(db, rowValues(entity, companyId, row));
    if (inserted.rows.length === 0) return false;
    await queueForIndex(db, entity, row.id, undefined);
    return true;
  },

  // Writes queue the row; the index takes the queue in batches (sqlite-backlog.ts).
  replace: (db, entity, _companyId, row, before) => queueForIndex(db, entity, row.id, before?.doc),

  remove: (db, entity, _companyId, row) => queueForIndex(db, entity, row.id, row.doc),

  catchUp: async (db) => {
    if (await hasBacklog(db)) await indexBacklog(db);
  },

  async insertBulk(db, entity, companyId, rows) {
    const { table, id, columns } = SEARCH_TABLES[entity];
    await insertRows(db, placeholder, table, [id, 'company_id', ...columns], rows.map((r) => [r.id, companyId, ...columns.map((c) => r.doc[c] ?? '')]));
    await insertIntoFts(db, entity, rows);
    countIndexed(rows.length);
  },

  // Queued rows first: one the backlog has not indexed yet would otherwise be added twice.
  async rewriteTerms(db, entity, _companyId, rows) {
    await indexBacklog(db);
    await rewriteFtsTerms(db, entity, rows);
  },

  rowsIndexed: indexedSoFar,
  compactionStep,

  runCandidates: (db, entity, index, lookup, companyId, limit) => ftsCandidates(db, entity, index, lookup, companyId, 0, limit),

  tierReads: ({ db, search, lookups, companyId, afterId, limit, read }) =>
    lookups.map(({ index, positive, lookup }) => read(index, positive, () => ftsCandidates(db, search.entity, index, lookup, companyId, afterId, limit))),

  // The FTS5 tables are dropped and made anew, so a rebuild also moves an index built in an earlier layout (one
  // trigram table for all columns) to the current one.
  async clear(db, entity) {
    await clearBacklog(db, entity);
    const { table, columns } = SEARCH_TABLES[entity];
    for (const old of ['tri', 'terms', ...columns]) await sql`drop table if exists ${sql.table(`${table}_${old}`)}`.execute(db);
    await createFtsTables(db, entity);
  },

  // Removing each search row queued its FTS entries' removal; contentless tables hold nothing else of the company.
  clearCompany: async () => {},

  async analyze(db) {
    for (const { table } of Object.values(SEARCH_TABLES)) await sql`analyze ${sql.table(table)}`.execute(db);
  },

  // A bulk load flushes an FTS5 segment per transaction and the automatic merges lag behind, so a term's ids sit in
  // many segments and an AND of common words (`example AND com`) seeks through each of them. 'optimize' merges each
  // table into one segment (measured at 100,000 persons: such a lookup 1.65 -> 0.26 ms, a search 14.9 -> 4.8 ms).
  async compact(db) {
    for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) {
      for (const { name } of ftsTables(entity)) await sql`insert into ${sql.table(name)} (${sql.ref(name)}) values ('optimize')`.execute(db);
    }
  },
};

export async function createFtsTables(db: Executor | Kysely<any>, entity: SearchEntity): Promise<void> {
  for (const { name, definition } of ftsTables(entity)) {
    await sql`create virtual table ${sql.table(name)} using ${sql.raw(definition)}`.execute(db);
    await setMergeSettings(db, name);
  }
}

/** Well below SQLite's 2,000 result columns. */
const COUNTS_PER_STATEMENT = 100;

/**
 * The rows of each term in the FTS5 terms table, every company's (the table knows no companies), up to 100: whether
 * an AND has a rare part (RARE_ROWS or fewer) is all the count decides here (withRarestParts). A term that reaches 100
 * is remembered for minutes (term-sizes.ts), names and email domains among them; a rare one for seconds.
 */
export const SQLITE_TERM_COUNTING: TermCounting = {
  name: 'sqlite',
  firstCap: 100,
  // One statement for many terms (the searches of a turn ask together, term-sizes.ts): eight statements of one count
  // each cost twice as much (in process at 1,000,000 persons: 125 against 62 µs).
  async count(db, entity, _companyId, terms, cap) {
    const counts = new Map<string, number>();
    for (let start = 0; start < terms.length; start += COUNTS_PER_STATEMENT) {
      const some = terms.slice(start, start + COUNTS_PER_STATEMENT);
      const phrases = some.map((term) => matchExpression({ op: 'token', token: term }));
      const [row] = (await madeOnce(countQueries, entity, () => countQueryOf(entity))(db, { cap, phrases })).rows;
      some.forEach((term, i) => counts.set(term, row[`n${i}`]));
    }
    return counts;
  },
};

// Compiled once per entity and number of terms (precompiled.ts): a search spends its CPU in small statements, and
// building each anew with Kysely was 6% of it.
const countQueries = new Map<SearchEntity, ReturnType<typeof countQueryOf>>();

/** Each of `phrases` counted up to `cap`, as `n<i>`. */
function countQueryOf(entity: SearchEntity) {
  const fts = sql.table(ftsTableName(entity, { kind: 'terms' }));
  return precompiled(
    (_db, p: { cap: number; phrases: string[] }) => {
      const counts = p.phrases.map((phrase, i) => sql`(select count(*) from (select rowid from ${fts} where ${fts} match ${phrase} limit ${p.cap})) as ${sql.ref(`n${i}`)}`);
      return sql<Record<string, number>>`select ${sql.join(counts)}`;
    },
    { shape: (p) => String(p.phrases.length), spread: ['phrases'] },
  );
}

// A write's statements on its search row, compiled once per entity: building them anew was 2-3% of a create's CPU.
const rowStatementsMade = new Map<SearchEntity, ReturnType<typeof rowStatementsOf>>();
const rowStatements = (entity: SearchEntity) => madeOnce(rowStatementsMade, entity, () => rowStatementsOf(entity));

function rowStatementsOf(entity: SearchEntity) {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  return {
    stored: precompiled((_db, p: { id: number }) => sql<Record<string, unknown>>`select company_id, ${columnList(columns)} from ${sql.table(table)} where ${sql.ref(idColumn)} = ${p.id}`),
    upsert: precompiled((_db, p: RowValues) => upsertRow(entity, p), { spread: ['texts'] }),
    insertNew: precompiled((_db, p: RowValues) => insertNewRow(entity, p), { spread: ['texts'] }),
  };
}

const candidateQueries = new Map<string, ReturnType<typeof candidateQueryOf>>();

function candidateQueryOf(entity: SearchEntity, fts: string) {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  // CROSS JOIN keeps the FTS index as the outer loop: it yields matches in rowid order and LIMIT stops it early.
  return precompiled(
    (_db, p: { match: string; afterId: number; companyId: number; limit: number }) => sql<Record<string, unknown>>`select s.${sql.ref(idColumn)} as id, ${columnList(columns, 's')}
      from ${sql.table(fts)} cross join ${sql.table(table)} as s
      where ${sql.table(fts)} match ${p.match} and ${sql.ref(`${fts}.rowid`)} > ${p.afterId}
        and s.${sql.ref(idColumn)} = ${sql.ref(`${fts}.rowid`)} and s.company_id = ${p.companyId}
      order by ${sql.ref(`${fts}.rowid`)} limit ${p.limit}`,
  );
}

async function ftsCandidates(db: Executor, entity: SearchEntity, index: SearchIndex, lookup: Lookup, companyId: number, afterId: number, limit: number): Promise<SearchDocRow[]> {
  if (index.kind === 'terms') lookup = withRarestParts(lookup, await termSizes(db, entity, companyId, lookup, SQLITE_TERM_COUNTING));
  const fts = ftsTableName(entity, index);
  const result = await madeOnce(candidateQueries, fts, () => candidateQueryOf(entity, fts))(db, { match: matchExpression(lookup), afterId, companyId, limit });
  return result.rows.map((row) => docOf(entity, row));
}
