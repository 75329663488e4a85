import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { type Store, openStore } from '../../src/store/db.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * The pool's clients are pipelined and a transaction's BEGIN is not waited for (postgres-client.ts): the first
 * statement goes out behind it. Observed at the driver: every query handed to a pooled client, and every answer.
 */
for (const backend of testBackends().filter((b) => b.name === 'postgres')) {
  describe('PostgreSQL pipelined transactions', () => {
    const events: string[] = [];
    type Step = (this: { text?: string }, ...args: unknown[]) => unknown;
    const query = pg.Query.prototype as unknown as { submit: Step; handleReadyForQuery: Step };
    const originalSubmit = query.submit;
    const originalReady = query.handleReadyForQuery;
    const watched = (text: string | undefined): text is string => text !== undefined && !/^(select 1|listen )/.test(text);
    let store: Store;
    let cleanup: () => void;

    before(() => {
      // A query is sent when the client submits it to the connection (without pipelining, only once the one before
      // it is answered), and answered when the server's ReadyForQuery for it arrives. The settings signal's own
      // client (LISTEN, `select 1`) is not pooled and not looked at.
      query.submit = function (...args) {
        if (watched(this.text)) events.push(`sent ${this.text}`);
        return originalSubmit.apply(this, args);
      };
      query.handleReadyForQuery = function (...args) {
        if (watched(this.text)) events.push(`answered ${this.text}`);
        return originalReady.apply(this, args);
      };
      const database = backend.databaseUrl();
      cleanup = database.cleanup;
      store = openStore(parseDatabaseUrl(database.url, { poolSize: 1 }));
    });

    after(async () => {
      query.submit = originalSubmit;
      query.handleReadyForQuery = originalReady;
      await store.close();
      cleanup();
    });

    it('sends the first statement of a transaction before BEGIN is answered', async () => {
      await store.db.connection().execute((conn) => sql`select 'warm'`.execute(conn));
      events.length = 0;
      const answer = await store.db.transaction().execute(async (trx) => (await sql<{ n: number }>`select 42 as n`.execute(trx)).rows[0].n);
      assert.equal(answer, 42);
      assert.deepEqual(events, ['sent begin', 'sent select 42 as n', 'answered begin', 'answered select 42 as n', 'sent commit', 'answered commit']);
    });

    it('rolls back a transaction whose statement fails, and the connection serves the next one', async () => {
      const key = `pipelined-${randomBytes(4).toString('hex')}`;
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('settings').values({ key, value: 'kept?' }).execute();
          await sql`select 1 / 0`.execute(trx);
        }),
        /division by zero/,
      );
      const kept = await store.db.selectFrom('settings').select('value').where('key', '=', key).execute();
      assert.deepEqual(kept, []);
      const written = await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key, value: 'written' }).execute();
        return trx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
      });
      assert.equal(written.value, 'written');
    });

    it('fails the transaction when BEGIN itself fails, and the connection serves the next one', async () => {
      await store.db.connection().execute(async (conn) => {
        // A session left in a failed transaction refuses every command but ROLLBACK, BEGIN included.
        await sql`begin`.execute(conn);
        await assert.rejects(sql`select 1 / 0`.execute(conn), /division by zero/);
        events.length = 0;
        await assert.rejects(
          conn.transaction().execute((trx) => sql`select 5`.execute(trx)),
          /current transaction is aborted/,
        );
        // Both went out at once; the failure came back for both, with no rejection left unhandled.
        assert.deepEqual(events.slice(0, 2), ['sent begin', 'sent select 5']);
        await sql`rollback`.execute(conn);
      });
      assert.equal((await store.db.transaction().execute((trx) => sql<{ n: number }>`select 7 as n`.execute(trx))).rows[0].n, 7);
    });
  });
}
