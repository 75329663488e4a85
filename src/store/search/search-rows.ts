import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { SEARCH_TABLES, type SearchDoc, type SearchDocRow, type SearchEntity } from './search-match.js';

/** Shared by both search index backends: the search rows' columns, and the bulk insert they load with. */

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

const insertTexts = new Map<string, string>();

/**
 * A multi-row INSERT sent as ready SQL text: bulk loads build many such statements, and assembling them through
 * the query builder would cost more than SQLite takes to run them. Names are the search modules' own constants.
 */
export async function insertValues(
  db: Executor,
  placeholder: (n: number) => string,
  table: string,
  columns: string[],
  rows: unknown[][],
  suffix = '',
): Promise<Array<Record<string, unknown>>> {
  const key = `${placeholder(1)}|${table}|${columns.join(',')}|${rows.length}|${suffix}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = () => `(${columns.map(() => placeholder(++n)).join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${rows.map(tuple).join(', ')}${suffix}`;
    if (insertTexts.size < 200) insertTexts.set(key, text);
  }
  return (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, rows.flat()))).rows;
}
