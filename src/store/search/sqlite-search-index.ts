import { type Kysely, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { ftsTableName, ftsTables, matchExpression } from './fts5-queries.js';
import { type Lookup, type SearchIndex, termTokens } from './index-lookups.js';
import type { SearchIndexBackend } from './search-index-backend.js';
import { SEARCH_TABLES, type SearchDocRow, type SearchEntity } from './search-match.js';
import { columnList, docOf, insertValues } from './search-rows.js';

const placeholder = () => '?';

/** SQLite: contentless FTS5 tables per searched column and for the terms (see fts5-queries.ts). */
export const sqliteSearchIndex: SearchIndexBackend = {
  async replace(db, entity, _companyId, row, before) {
    if (!before) return insertIntoFts(db, entity, [row]);
    await replaceInFts(db, entity, { id: row.id, doc: before.doc }, row);
  },

  remove: (db, entity, _companyId, row) => deleteFromFts(db, entity, row),

  async insertBulk(db, entity, companyId, rows) {
    const { table, id, columns } = SEARCH_TABLES[entity];
    await insertValues(db, placeholder, table, [id, 'company_id', ...columns], rows.map((r) => [r.id, companyId, ...columns.map((c) => r.doc[c] ?? '')]));
    await insertIntoFts(db, entity, rows);
  },

  runCandidates: (db, entity, index, lookup, companyId, limit) => ftsCandidates(db, entity, index, lookup, companyId, 0, limit),

  tierReads: ({ db, search, lookups, companyId, afterId, limit, read }) =>
    lookups.map(({ index, positive, lookup }) => read(index, positive, () => ftsCandidates(db, search.entity, index, lookup, companyId, afterId, limit))),

  // The FTS5 tables are dropped and made anew, so a rebuild also moves an index built in an earlier layout (one
  // trigram table for all columns) to the current one.
  async clear(db, entity) {
    const { table, columns } = SEARCH_TABLES[entity];
    for (const old of ['tri', 'terms', ...columns]) await sql`drop table if exists ${sql.table(`${table}_${old}`)}`.execute(db);
    await createFtsTables(db, entity);
  },

  // Removing each search row removed its FTS entries; contentless tables hold nothing else of the company.
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
  for (const { name, definition } of ftsTables(entity)) await sql`create virtual table ${sql.table(name)} using ${sql.raw(definition)}`.execute(db);
}

/** Each column's text into its trigram index (empty columns have no row there), and the row's terms. */
async function insertIntoFts(db: Executor, entity: SearchEntity, rows: SearchDocRow[]): Promise<void> {
  for (const column of SEARCH_TABLES[entity].columns) {
    const values = rows.filter((r) => r.doc[column]).map((r) => [r.id, r.doc[column]]);
    if (values.length > 0) await insertValues(db, placeholder, ftsTableName(entity, { kind: 'column', column }), ['rowid', 'text'], values);
  }
  const terms = rows.map((r) => [r.id, termTokens(entity, r.doc).join(' ')]).filter((t) => t[1] !== '');
  if (terms.length > 0) await insertValues(db, placeholder, ftsTableName(entity, { kind: 'terms' }), ['rowid', 'tokens'], terms);
}

/**
 * Rewrites only the indexes whose text changed. Every FTS5 table an update touches writes a new segment at commit
 * (measured: about 0.25 ms and 20 kB of WAL each on this machine), so a PATCH of a phone rewrites the phone trigram
 * table and the terms, not all six tables.
 */
async function replaceInFts(db: Executor, entity: SearchEntity, before: SearchDocRow, after: SearchDocRow): Promise<void> {
  for (const column of SEARCH_TABLES[entity].columns) {
    const was = before.doc[column] ?? '';
    const now = after.doc[column] ?? '';
    if (was === now) continue;
    const table = ftsTableName(entity, { kind: 'column', column });
    if (was) await sql`delete from ${sql.table(table)} where rowid = ${before.id}`.execute(db);
    if (now) await insertValues(db, placeholder, table, ['rowid', 'text'], [[after.id, now]]);
  }
  const wasTerms = termTokens(entity, before.doc).join(' ');
  const nowTerms = termTokens(entity, after.doc).join(' ');
  if (wasTerms === nowTerms) return;
  const terms = ftsTableName(entity, { kind: 'terms' });
  if (wasTerms) await sql`delete from ${sql.table(terms)} where rowid = ${before.id}`.execute(db);
  if (nowTerms) await insertValues(db, placeholder, terms, ['rowid', 'tokens'], [[after.id, nowTerms]]);
}

/** Removes a row from the FTS indexes it is in (contentless tables do not know, so the indexed text tells). */
async function deleteFromFts(db: Executor, entity: SearchEntity, row: SearchDocRow): Promise<void> {
  const tables = SEARCH_TABLES[entity].columns.filter((c) => row.doc[c]).map((column) => ftsTableName(entity, { kind: 'column', column }));
  if (termTokens(entity, row.doc).length > 0) tables.push(ftsTableName(entity, { kind: 'terms' }));
  for (const table of tables) await sql`delete from ${sql.table(table)} where rowid = ${row.id}`.execute(db);
}

async function ftsCandidates(db: Executor, entity: SearchEntity, index: SearchIndex, lookup: Lookup, companyId: number, afterId: number, limit: number): Promise<SearchDocRow[]> {
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
