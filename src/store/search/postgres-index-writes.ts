import { type RawBuilder, sql } from 'kysely';
import { togetherOnPostgres } from '../dialect/postgres-write-together.js';
import { madeOnce } from '../made-once.js';
import { precompiled, precompiledWrites } from '../precompiled.js';
import { postgresTermsTable } from './postgres-terms.js';
import { SEARCH_TABLES, type SearchEntity } from './search-match.js';
import { type RowValues, columnList, insertNewRow, upsertRow } from './search-rows.js';

/*
 * The statements every person, organization and deal write runs on PostgreSQL's search index, compiled once per
 * entity (precompiled.ts), and for a change of terms once per pair of parts it has: built anew with Kysely on every
 * call they were a few percent of a write's CPU.
 */

/** Removes a row's terms: a probe of the primary key per term. */
export function termsDeletion(entity: SearchEntity, companyId: number, id: number, terms: string[]): RawBuilder<unknown> | undefined {
  return terms.length === 0 ? undefined : termsDeletionOf(entity, companyId, id, terms);
}

/**
 * Adds terms: `terms[k]` of row `ids[k]`. Sent as two arrays (one statement text whatever the count, and no limit on
 * the number of parameters to mind); rows already there are kept, unless the caller knows there are none.
 */
export function termsInsertion(entity: SearchEntity, companyId: number, terms: string[], ids: number[], mayExist = true): RawBuilder<unknown> | undefined {
  return terms.length === 0 ? undefined : termsInsertionOf(entity, companyId, terms, ids, mayExist);
}

function termsDeletionOf(entity: SearchEntity, companyId: unknown, id: unknown, terms: unknown): RawBuilder<unknown> {
  return sql`delete from ${sql.table(postgresTermsTable(entity))} where company_id = ${companyId} and term = any(${terms}::text[]) and ${sql.ref(SEARCH_TABLES[entity].id)} = ${id}`;
}

// In key order: a bulk load's rows then share the key's leaf pages instead of each landing on a random one (at 100,000
// persons, 71,000 rows of 1,000 persons took 333 ms in key order against 512 in person order).
function termsInsertionOf(entity: SearchEntity, companyId: unknown, terms: unknown, ids: unknown, mayExist: boolean): RawBuilder<unknown> {
  return sql`insert into ${sql.table(postgresTermsTable(entity))} (company_id, term, ${sql.ref(SEARCH_TABLES[entity].id)})
    select ${companyId}::integer, t.term, t.id from unnest(${terms}::text[], ${ids}::integer[]) as t(term, id) order by t.term, t.id ${mayExist ? sql`on conflict do nothing` : sql``}`;
}

/**
 * Upserts the search row, answering the text it held before (read from the statement's snapshot, before the
 * upsert's change); an unchanged row is not rewritten (no dead tuple for an edit that touched no searched field).
 */
export const writeRowStatement = (entity: SearchEntity) => madeOnce(rowStatements, entity, () => rowStatementOf(entity));

/** Inserts a new row's search row and its terms, answering how many search rows it inserted (0 or 1). */
export const writeNewStatement = (entity: SearchEntity) => madeOnce(newRowStatements, entity, () => newRowStatementOf(entity));

/** A row's changed terms: the removed ones (of `removedFrom`, the company that held them) and the added ones. */
export interface TermsChange {
  id: number;
  removedFrom: number;
  removed: string[];
  companyId: number;
  added: string[];
  /** The row's id once per added term. */
  ids: number[];
}

/** Removes and adds the row's changed terms: different rows, so one statement for both where it has both. */
export const replaceTermsStatements = (entity: SearchEntity, removes: boolean, adds: boolean) =>
  madeOnce(termsStatements, `${entity} ${removes} ${adds}`, () => termsStatementsOf(entity, removes, adds));

const rowStatements = new Map<SearchEntity, ReturnType<typeof rowStatementOf>>();
const newRowStatements = new Map<SearchEntity, ReturnType<typeof newRowStatementOf>>();
const termsStatements = new Map<string, ReturnType<typeof termsStatementsOf>>();

function rowStatementOf(entity: SearchEntity) {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  const columnsOf = (alias: string) => sql.join(['company_id', ...columns].map((c) => sql.ref(`${alias}.${c}`)));
  return precompiled(
    (_db, p: RowValues) => sql<Record<string, unknown>>`with previous as (select company_id, ${columnList(columns)} from ${sql.table(table)} where ${sql.ref(idColumn)} = ${p.id}),
      written as (${upsertRow(entity, p)} where (${columnsOf(table)}) is distinct from (${columnsOf('excluded')}) returning 1)
      select * from previous`,
    { spread: ['texts'] },
  );
}

function newRowStatementOf(entity: SearchEntity) {
  return precompiled(
    (_db, p: RowValues & { terms: string[] }) => sql<{ inserted: number }>`with written as (${insertNewRow(entity, p)}),
      terms as (insert into ${sql.table(postgresTermsTable(entity))} (company_id, term, ${sql.ref(SEARCH_TABLES[entity].id)})
        select ${p.companyId}::integer, t.term, w.id from written as w cross join unnest(${p.terms}::text[]) as t(term))
      select count(*)::int as inserted from written`,
    { spread: ['texts'] },
  );
}

function termsStatementsOf(entity: SearchEntity, removes: boolean, adds: boolean) {
  return precompiledWrites((_db, p: TermsChange) =>
    togetherOnPostgres([removes ? termsDeletionOf(entity, p.removedFrom, p.id, p.removed) : undefined, adds ? termsInsertionOf(entity, p.companyId, p.added, p.ids, true) : undefined]),
  );
}
