import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';
import { createFtsTables } from '../search/sqlite-search-index.js';

/**
 * The search index of deals, laid out like persons' and organizations' (003-search): a row of searchable text per
 * live deal (its title; personsd's deals have no notes or custom fields), with FTS5 tables beside it on SQLite and
 * a pg_trgm index on PostgreSQL. The rows are filled by the rebuild the search index version bump triggers.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('deal_search')
    .addColumn('deal_id', 'integer', (c) => c.primaryKey())
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .execute();
  if (dialect === 'postgres') {
    await db.schema.createIndex('deal_search_company').on('deal_search').columns(['company_id', 'deal_id']).execute();
    await sql`create index deal_search_title_trgm on deal_search using gin (title gin_trgm_ops)`.execute(db);
  } else {
    await createFtsTables(db, 'deal');
  }
}
