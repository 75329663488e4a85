import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';
import { createFtsTables } from '../search/sqlite-search-index.js';

/**
 * The search index of persons and organizations: a row of searchable text per entity, and the index that finds
 * substrings of it. SQLite: contentless FTS5 tables (a trigram table per column, one of whole terms), see
 * ../search/fts5-queries.ts. PostgreSQL: a pg_trgm GIN index per column. The rows are filled by the search
 * module when it finds the index older than its format (src/domain/search/search-index.ts), not here.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const tables = [
    { table: 'person_search', id: 'person_id', columns: ['name', 'email', 'phone', 'custom', 'notes'] },
    { table: 'organization_search', id: 'organization_id', columns: ['name', 'address', 'custom'] },
  ];
  if (dialect === 'postgres') await sql`create extension if not exists pg_trgm`.execute(db);
  for (const { table, id, columns } of tables) {
    let create = db.schema
      .createTable(table)
      .addColumn(id, 'integer', (c) => c.primaryKey())
      .addColumn('company_id', 'integer', (c) => c.notNull());
    for (const column of columns) create = create.addColumn(column, 'text', (c) => c.notNull());
    await create.execute();
    if (dialect === 'postgres') {
      // Ordered scans of one company, for terms too short for trigrams and for pages dense enough to fill early.
      await db.schema.createIndex(`${table}_company`).on(table).columns(['company_id', id]).execute();
      for (const column of columns) {
        await sql`create index ${sql.id(`${table}_${column}_trgm`)} on ${sql.table(table)} using gin (${sql.ref(column)} gin_trgm_ops)`.execute(db);
      }
    }
  }
  if (dialect === 'sqlite') {
    await createFtsTables(db, 'person');
    await createFtsTables(db, 'organization');
  }
}
