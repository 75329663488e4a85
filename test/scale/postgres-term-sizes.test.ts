import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { POSTGRES_TERM_COUNTING } from '../../src/store/search/postgres-terms.ts';
import { termSizes } from '../../src/store/search/term-sizes.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * PostgreSQL counts the rows of an AND's terms to choose which to read first (term-sizes.ts), and remembers the
 * counts of common terms for ten minutes, rare ones for ten seconds (remembered-term-sizes.test.ts has the rules).
 * SQLite counts for another use (sqlite-term-counts.test.ts).
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe('PostgreSQL term counts', () => {
    it('counts each part of an AND, and counts the rare one again sooner than the common one', async () => {
      const { url, cleanup } = backend.databaseUrl();
      const store = openStore(parseDatabaseUrl(url, 2));
      try {
        await migrateToLatest(store.db, store.dialect);
        const companyId = 424_242;
        const addTerms = async (term: string, from: number, count: number) => {
          const ids = Array.from({ length: count }, (_, k) => from + k);
          await sql`insert into person_terms (company_id, term, person_id) select ${companyId}, ${term}, id from unnest(${ids}::integer[]) as t(id)`.execute(store.db);
        };
        const clear = () => sql`delete from person_terms where company_id = ${companyId}`.execute(store.db);
        // The test databases are shared and kept between runs: this made-up company's rows go before and after.
        await clear();
        await addTerms('common', 1, 150);
        await addTerms('rare', 1, 3);
        const lookup = { op: 'and' as const, of: [{ op: 'token' as const, token: 'common' }, { op: 'token' as const, token: 'rare' }] };

        const first = await termSizes(store.db, 'person', companyId, lookup, POSTGRES_TERM_COUNTING, 1_000);
        assert.deepEqual(Object.fromEntries(first), { common: 150, rare: 3 });

        await addTerms('common', 1_000, 50);
        await addTerms('rare', 1_000, 2);
        const later = await termSizes(store.db, 'person', companyId, lookup, POSTGRES_TERM_COUNTING, 1_000 + 10_001);
        assert.deepEqual(Object.fromEntries(later), { common: 150, rare: 5 }, 'the common count is remembered, the rare one counted again');

        const afterTenMinutes = await termSizes(store.db, 'person', companyId, lookup, POSTGRES_TERM_COUNTING, 1_000 + 600_001);
        assert.deepEqual(Object.fromEntries(afterTenMinutes), { common: 200, rare: 5 }, 'a remembered count is counted again after ten minutes');
        await clear();
      } finally {
        await store.close();
        cleanup();
      }
    });

    it('counts the terms of searches asked for at once in one statement, each search getting its own', async () => {
      const { url, cleanup } = backend.databaseUrl();
      const store = openStore(parseDatabaseUrl(url, 2));
      const sent: string[] = [];
      const query = pg.Query.prototype as unknown as { submit: (this: { text?: string }, ...args: unknown[]) => unknown };
      const originalSubmit = query.submit;
      try {
        await migrateToLatest(store.db, store.dialect);
        const companyId = 434_343;
        await sql`delete from person_terms where company_id = ${companyId}`.execute(store.db);
        await sql`insert into person_terms (company_id, term, person_id) select ${companyId}, t, id
          from unnest(array['alpha', 'beta', 'gamma']) as t, generate_series(1, 4) as id where id <= length(t) - 3`.execute(store.db);
        query.submit = function (...args) {
          if (this.text?.includes('count(*)')) sent.push(this.text);
          return originalSubmit.apply(this, args);
        };
        const and = (...tokens: string[]) => ({ op: 'and' as const, of: tokens.map((token) => ({ op: 'token' as const, token })) });
        // Neither search finds a remembered count: both ask the database.
        const [one, two] = await Promise.all([
          termSizes(store.db, 'person', companyId, and('alpha', 'beta'), POSTGRES_TERM_COUNTING, 5_000),
          termSizes(store.db, 'person', companyId, and('beta', 'gamma', 'delta'), POSTGRES_TERM_COUNTING, 5_000),
        ]);
        assert.deepEqual(Object.fromEntries(one), { alpha: 2, beta: 1 });
        assert.deepEqual(Object.fromEntries(two), { beta: 1, gamma: 2, delta: 0 });
        assert.equal(sent.length, 1, sent.join('\n'));
        await sql`delete from person_terms where company_id = ${companyId}`.execute(store.db);
      } finally {
        query.submit = originalSubmit;
        await store.close();
        cleanup();
      }
    });
  });
}
