import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { type Store, openStore } from '../../src/store/db.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * Migration 026: the planner samples 1,000 values of the search table's phone column, so a rarely matching digit
 * fragment is read through the trigram index instead of the whole table in id order (docs/benchmarks.md, person
 * search). The plan itself depends on which values a sample happens to hold, so the sample size is what is checked.
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe('PostgreSQL statistics of the searched phone numbers', () => {
    let store: Store;
    let cleanup: () => void;
    before(() => {
      const database = backend.databaseUrl();
      cleanup = database.cleanup;
      store = openStore(parseDatabaseUrl(database.url, { poolSize: 1 }));
    });
    after(async () => {
      await store.close();
      cleanup();
    });

    it('samples 1,000 phone values and the default for the other searched columns', async () => {
      const { rows } = await sql<{ column: string; target: number }>`select attname as column, coalesce(attstattarget, -1)::int as target from pg_attribute
        where attrelid = 'person_search'::regclass and attname in ('name', 'email', 'phone') order by attname`.execute(store.db);
      assert.deepEqual(
        rows.map((r) => [r.column, r.target]),
        [
          ['email', -1],
          ['name', -1],
          ['phone', 1000],
        ],
      );
    });
  });
}
