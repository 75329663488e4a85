import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';
import { ftsTables } from '../search/fts5-queries.js';
import { SEARCH_TABLES, type SearchEntity } from '../search/search-match.js';
import { setMergeSettings } from '../search/sqlite-compaction.js';

/**
 * SQLite: FTS5's `usermerge` of 2 on the search index's tables (see setMergeSettings), as tables made from now on
 * get it. A table of an older layout, which a rebuild replaces, is left as it is. PostgreSQL: nothing.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  const existing = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  const names = new Set(existing.rows.map((row) => row.name));
  for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) {
    for (const { name } of ftsTables(entity)) if (names.has(name)) await setMergeSettings(db, name);
  }
}
