import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * The settings every pooled PostgreSQL connection starts with. Without `jit = off` a search read under a LIMIT is
 * costed past `jit_above_cost` and compiles for tens of milliseconds (db.ts); SQLite has neither setting.
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe('PostgreSQL session settings', () => {
    it('runs every pooled connection without JIT and under the statement timeout', async () => {
      const { url, cleanup } = backend.databaseUrl();
      const store = openStore(parseDatabaseUrl(url, { poolSize: 3, statementTimeoutMs: 12_345 }));
      try {
        // Several connections at once, so more than the first one the pool opens is looked at.
        const sessions = await Promise.all(
          [1, 2, 3].map(() =>
            store.db.connection().execute(async (conn) => {
              const jit = await sql<{ jit: string }>`show jit`.execute(conn);
              const timeout = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(conn);
              await sql`select pg_sleep(0.05)`.execute(conn);
              return { jit: jit.rows[0].jit, timeout: timeout.rows[0].statement_timeout };
            }),
          ),
        );
        assert.deepEqual(sessions, [1, 2, 3].map(() => ({ jit: 'off', timeout: '12345ms' })));
      } finally {
        await store.close();
        cleanup();
      }
    });
  });
}
