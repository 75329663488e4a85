import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { listPersonDocs } from '../../src/store/repositories/persons.repository.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * Migration 032: on PostgreSQL, as on SQLite since 030 (test/unit/store/migration-030.test.ts), the plain v2 page
 * sorted by id is one range of person_docs' company key, without the persons rows; other sorts still read the
 * persons and look up each one's document.
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe('migration 032: the plain list’s pages on PostgreSQL', () => {
    it('reads a page sorted by id, first and later, either way, as one range of person_docs', async () => {
      const pool = new pg.Pool({ connectionString: backend.databaseUrl().url, max: 1 });
      const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool }),
        log: (event) => {
          if (event.level === 'query' && /^select/i.test(event.query.sql)) statements.push({ sql: event.query.sql, parameters: event.query.parameters });
        },
      });
      try {
        await migrateToLatest(db, 'postgres');
        statements.length = 0;
        for (const direction of ['asc', 'desc'] as const) {
          const page = { sortBy: 'id' as const, direction, limit: 100 };
          await listPersonDocs(db, 1, {}, page);
          await listPersonDocs(db, 1, {}, { ...page, after: { value: 100, id: 100 } });
        }
        await listPersonDocs(db, 1, {}, { sortBy: 'update_time', direction: 'asc', limit: 100 });
        assert.equal(statements.length, 5);
        const plans: string[] = [];
        for (const { sql, parameters } of statements) {
          const client = await pool.connect();
          try {
            // A nearly empty table would be scanned whole and sorted: the planner is told to avoid that, as it does
            // by itself for a table of a million rows.
            await client.query('set enable_seqscan = off; set enable_bitmapscan = off; set enable_sort = off');
            plans.push((await client.query(`explain ${sql}`, parameters as unknown[])).rows.map((row) => row['QUERY PLAN']).join(' | '));
            await client.query('reset all');
          } finally {
            client.release();
          }
        }
        for (const plan of plans.slice(0, 4)) {
          assert.match(plan, /Index Scan( Backward)? using person_docs_company on person_docs/, plan);
          assert.doesNotMatch(plan, /persons/, plan);
        }
        assert.match(plans[4], /on persons .*SubPlan.*on person_docs/, plans[4]);
      } finally {
        await db.destroy();
      }
    });
  });
}
