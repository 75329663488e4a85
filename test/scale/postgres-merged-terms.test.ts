import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { PgStatement } from '../../src/store/pg-statement.ts';
import type { Lookup } from '../../src/store/search/index-lookups.ts';
import { POSTGRES_TERM_COUNTING, termsIdsQuery } from '../../src/store/search/postgres-terms.ts';
import { termSizes } from '../../src/store/search/term-sizes.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * PostgreSQL reads an AND of long lists as a join of them (merged, postgres-terms.ts) and an AND with a short part by
 * probing that part's rows for the others: both must find the same ids, in id order, past a cursor, without the
 * excluded ones. SQLite's FTS5 intersects its lists itself.
 */
const token = (t: string): Lookup => ({ op: 'token', token: t });

for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe('PostgreSQL merged term lists', () => {
    it('find what probing finds, and the counts tell long lists apart beyond 10,000 rows', async () => {
      const { url, cleanup } = backend.databaseUrl();
      const store = openStore(parseDatabaseUrl(url, 2));
      const companyId = 454_545;
      try {
        await migrateToLatest(store.db, store.dialect);
        const clear = () => sql`delete from person_terms where company_id = ${companyId}`.execute(store.db);
        await clear();
        // `first` every id to 24,000, `last` every second to 30,000, `start` every third to 36,000; `gone` excludes some.
        const add = (term: string, step: number, upTo: number) =>
          sql`insert into person_terms (company_id, term, person_id) select ${companyId}, ${term}, id from generate_series(${step}::integer, ${upTo}::integer, ${step}::integer) as id`.execute(store.db);
        await add('first', 1, 24_000);
        await add('last', 2, 30_000);
        await add('start', 3, 36_000);
        await add('gone', 5, 40_000);
        await sql`analyze person_terms`.execute(store.db);
        const lookup: Lookup = { op: 'not', of: { op: 'and', of: [token('first'), token('last'), token('start')] }, except: token('gone') };

        const sizes = await termSizes(store.db, 'person', companyId, lookup, POSTGRES_TERM_COUNTING);
        assert.deepEqual(Object.fromEntries(sizes), { first: 24_000, last: 15_000, start: 12_000 }, 'counted past 10,000');

        const ids = async (counts: ReadonlyMap<string, number>, afterId: number, limit: number) => {
          const statement = new PgStatement();
          const text = termsIdsQuery(statement, 'person', lookup, companyId, afterId, limit, counts);
          const rows = await store.db.executeQuery<{ id: number }>(statement.compiled(text));
          return { text, ids: rows.rows.map((row) => row.id) };
        };
        const expected = (afterId: number, limit: number) =>
          Array.from({ length: 24_000 }, (_, k) => k + 1).filter((id) => id > afterId && id % 6 === 0 && id % 5 !== 0).slice(0, limit);
        // Counts short enough to probe: one read, every other part an EXISTS.
        const shortCounts = new Map([['first', 900], ['last', 950], ['start', 800]]);
        for (const [afterId, limit] of [[0, 100], [6_000, 100], [23_900, 100], [0, 5_000]]) {
          const merged = await ids(sizes, afterId, limit);
          const probed = await ids(shortCounts, afterId, limit);
          assert.match(merged.text, / join "person_terms"/);
          assert.doesNotMatch(probed.text, / join /);
          assert.deepEqual(merged.ids, expected(afterId, limit), `merged after ${afterId}`);
          assert.deepEqual(probed.ids, merged.ids, `probed after ${afterId}`);
        }
        await clear();
      } finally {
        await store.close();
        cleanup();
      }
    });
  });
}
