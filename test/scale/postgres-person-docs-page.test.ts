import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { listPersonDocs, listPersonsByOffset } from '../../src/store/repositories/persons.repository.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * Migration 032: on PostgreSQL, as on SQLite since 030 (test/unit/store/migration-030.test.ts), the plain v2 page
 * sorted by id is one range of person_docs' key of the live persons, without the persons rows, and a plain v1 page
 * skips its offset in that key alone; other sorts still read the persons and look up each one's document.
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  /** PostgreSQL's plan, one line, for each select `work` runs. */
  async function plansOf(work: (db: Kysely<any>) => Promise<unknown>): Promise<string[]> {
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
      await work(db);
      const plans: string[] = [];
      for (const { sql, parameters } of statements) {
        const client = await pool.connect();
        try {
          // A nearly empty table would be scanned whole and sorted: the planner is told to avoid that, as it does by
          // itself for a table of a million rows.
          await client.query('set enable_seqscan = off; set enable_bitmapscan = off; set enable_sort = off');
          plans.push((await client.query(`explain ${sql}`, parameters as unknown[])).rows.map((row) => row['QUERY PLAN']).join(' | '));
          await client.query('reset all');
        } finally {
          client.release();
        }
      }
      return plans;
    } finally {
      await db.destroy();
    }
  }

  describe('migration 032: the plain lists’ pages on PostgreSQL', () => {
    it('reads a v2 page sorted by id, first and later, either way, as one range of person_docs', async () => {
      const plans = await plansOf(async (db) => {
        for (const direction of ['asc', 'desc'] as const) {
          const page = { sortBy: 'id' as const, direction, limit: 100 };
          await listPersonDocs(db, 1, {}, page);
          await listPersonDocs(db, 1, {}, { ...page, after: { value: 100, id: 100 } });
        }
        await listPersonDocs(db, 1, {}, { sortBy: 'update_time', direction: 'asc', limit: 100 });
      });
      assert.equal(plans.length, 5);
      for (const plan of plans.slice(0, 4)) {
        assert.match(plan, /Index Scan( Backward)? using person_docs_company on person_docs/, plan);
        assert.doesNotMatch(plan, /persons/, plan);
      }
      assert.match(plans[4], /on persons .*SubPlan.*on person_docs/, plans[4]);
    });

    it('skips a plain v1 page’s offset in the live documents’ key alone, either way; a sorted page reads the persons', async () => {
      const plans = await plansOf(async (db) => {
        for (const direction of ['asc', 'desc'] as const) await listPersonsByOffset(db, 1, {}, { start: 200, limit: 100, order: [{ field: 'id', direction }] });
        await listPersonsByOffset(db, 1, {}, { start: 200, limit: 100, order: [] });
        await listPersonsByOffset(db, 1, {}, { start: 200, limit: 100, order: [{ field: 'name', direction: 'asc' }] });
      });
      assert.equal(plans.length, 4);
      for (const plan of plans.slice(0, 3)) assert.match(plan, /Index Only Scan( Backward)? using person_docs_company on person_docs/, plan);
      assert.doesNotMatch(plans[3], /person_docs/, plans[3]);
    });
  });
}
