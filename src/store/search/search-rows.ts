import { type RawBuilder, sql } from 'kysely';
import { SEARCH_TABLES, type SearchDoc, type SearchDocRow, type SearchEntity } from './search-match.js';

/** Shared by both search index backends: the search rows' columns and the statements that write them. */

export const columnList = (columns: readonly string[], prefix?: string) => sql.join(columns.map((c) => sql.ref(prefix ? `${prefix}.${c}` : c)));

export function docOf(entity: SearchEntity, row: Record<string, unknown>): SearchDocRow {
  const doc: SearchDoc = {};
  for (const column of SEARCH_TABLES[entity].columns) doc[column] = row[column] as string;
  return { id: Number(row.id), doc };
}

export function sameDoc(entity: SearchEntity, a: SearchDoc, b: SearchDoc): boolean {
  return SEARCH_TABLES[entity].columns.every((c) => a[c] === b[c]);
}

/** What a search row held before a write: its company and text. */
export interface StoredText {
  companyId: number;
  doc: SearchDoc;
}

export function storedTextOf(entity: SearchEntity, row: Record<string, unknown>): StoredText {
  return { companyId: Number(row.company_id), doc: docOf(entity, row).doc };
}

/** A search row's values as the statements below take them: its columns' text in the table's column order. */
export interface RowValues {
  id: number;
  companyId: number;
  texts: string[];
}

export function rowValues(entity: SearchEntity, companyId: number, row: SearchDocRow): RowValues {
  return { id: row.id, companyId, texts: SEARCH_TABLES[entity].columns.map((c) => row.doc[c] ?? '') };
}

/** `insert into <entity>_search (...) values (...)` of the row: the start of both statements below. */
function insertRow(entity: SearchEntity, p: RowValues): RawBuilder<unknown> {
  const { table, id: idColumn, columns } = SEARCH_TABLES[entity];
  return sql`insert into ${sql.table(table)} (${sql.ref(idColumn)}, company_id, ${columnList(columns)}) values (${p.id}, ${p.companyId}, ${sql.join(p.texts)})`;
}

/** The statement that makes the row's search row hold its texts, inserting it or overwriting it. */
export function upsertRow(entity: SearchEntity, p: RowValues): RawBuilder<unknown> {
  const { id: idColumn, columns } = SEARCH_TABLES[entity];
  return sql`${insertRow(entity, p)}
    on conflict (${sql.ref(idColumn)}) do update set company_id = excluded.company_id, ${sql.join(columns.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`;
}

/** The statement that inserts the row's search row unless it has one, answering the id only when it inserted. */
export function insertNewRow(entity: SearchEntity, p: RowValues): RawBuilder<{ id: number }> {
  return sql`${insertRow(entity, p)} on conflict do nothing returning ${sql.ref(SEARCH_TABLES[entity].id)} as id`;
}
