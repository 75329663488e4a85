import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { ftsTableName } from './fts5-queries.js';
import { termTokens } from './index-lookups.js';
import { SEARCH_TABLES, type SearchDoc, type SearchDocRow, type SearchEntity } from './search-match.js';

/** A row's change as the FTS5 tables see it: the text they hold for it (if any), and the text to hold (if any). */
export interface FtsChange {
  id: number;
  before?: SearchDoc;
  after?: SearchDoc;
}

/**
 * Applies changes to an entity's FTS5 tables, touching only the tables whose text changed: every table written
 * gets a new segment at commit, and a delete leaves a tombstone that lookups step over until segments merge. The
 * tables are contentless with `contentless_delete`, so a delete needs only the rowid. Rows go as one JSON array per
 * statement: one statement text per table whatever the batch's size (a text per size would crowd the
 * prepared-statement cache).
 */
export async function applyToFts(db: Executor, entity: SearchEntity, changes: readonly FtsChange[]): Promise<void> {
  const tables: Array<{ table: string; column: string; text: (doc: SearchDoc) => string }> = [
    ...SEARCH_TABLES[entity].columns.map((column) => ({ table: ftsTableName(entity, { kind: 'column', column }), column: 'text', text: (doc: SearchDoc) => doc[column] ?? '' })),
    { table: ftsTableName(entity, { kind: 'terms' }), column: 'tokens', text: (doc: SearchDoc) => termTokens(entity, doc).join(' ') },
  ];
  for (const { table, column, text } of tables) {
    const deletes: number[] = [];
    const inserts: Array<[number, string]> = [];
    for (const { id, before, after } of changes) {
      const was = before ? text(before) : '';
      const now = after ? text(after) : '';
      if (was === now) continue;
      if (was) deletes.push(id);
      if (now) inserts.push([id, now]);
    }
    if (deletes.length > 0) await sql`delete from ${sql.table(table)} where rowid in (select value from json_each(${JSON.stringify(deletes)}))`.execute(db);
    if (inserts.length > 0) {
      await sql`insert into ${sql.table(table)} (rowid, ${sql.ref(column)}) select value ->> 0, value ->> 1 from json_each(${JSON.stringify(inserts)})`.execute(db);
    }
  }
}

/** Rows not in the index yet into every table their text belongs in. */
export function insertIntoFts(db: Executor, entity: SearchEntity, rows: readonly SearchDocRow[]): Promise<void> {
  return applyToFts(db, entity, rows.map((row) => ({ id: row.id, after: row.doc })));
}

/** Rows' terms written afresh: their terms table row replaced, their trigram tables left alone. */
export async function rewriteFtsTerms(db: Executor, entity: SearchEntity, rows: readonly SearchDocRow[]): Promise<void> {
  if (rows.length === 0) return;
  const table = sql.table(ftsTableName(entity, { kind: 'terms' }));
  await sql`delete from ${table} where rowid in (select value from json_each(${JSON.stringify(rows.map((row) => row.id))}))`.execute(db);
  const inserts = rows.map((row) => [row.id, termTokens(entity, row.doc).join(' ')]).filter(([, tokens]) => tokens !== '');
  if (inserts.length > 0) await sql`insert into ${table} (rowid, tokens) select value ->> 0, value ->> 1 from json_each(${JSON.stringify(inserts)})`.execute(db);
}
