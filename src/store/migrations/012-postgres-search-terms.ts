import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * PostgreSQL's terms index (see ../search/postgres-terms.ts): per entity a row per (company, term, id), the same
 * terms SQLite keeps in its FTS5 `<table>_terms` tables, keyed so that one term's ids come in id order. Terms are
 * compared byte for byte (`collate "C"`: they are only ever looked up by equality). The pg_trgm indexes of 003 and
 * 009 stay: they answer fragments of 3 or more characters inside words, which no term holds. The rows are filled
 * by the rebuild the search index version bump triggers. SQLite: nothing.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const tables = [
    { table: 'person_terms', id: 'person_id' },
    { table: 'organization_terms', id: 'organization_id' },
    { table: 'deal_terms', id: 'deal_id' },
  ];
  for (const { table, id } of tables) {
    await sql`create table ${sql.table(table)} (
      company_id integer not null,
      term text collate "C" not null,
      ${sql.ref(id)} integer not null,
      primary key (company_id, term, ${sql.ref(id)})
    )`.execute(db);
  }
}
