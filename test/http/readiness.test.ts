import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { isolatedServerSuite } from '../helpers/isolated-database.ts';
import { Api, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`/health and /ready [${backend.name}]`, () => {
    const suite = isolatedServerSuite(backend);

    it('answers both without a token: alive, and ready once the database answers with its schema current', async () => {
      const anonymous = new Api(suite.server.url, undefined);
      assert.deepEqual((await anonymous.get('/health')).body, { success: true, data: { status: 'ok' } });
      const ready = await anonymous.get('/ready');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, {
        success: true,
        data: { status: 'ready', database: { dialect: backend.name, reachable: true, migrated: true, pending_migrations: [] } },
      });
    });

    it('is not ready while a migration this version needs is not applied, and alive all the same', async () => {
      const db = suite.server.store.db;
      const last = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name desc limit 1`.execute(db);
      const { name, timestamp } = last.rows[0];
      await sql`delete from kysely_migration where name = ${name}`.execute(db);
      try {
        const anonymous = new Api(suite.server.url, undefined);
        const ready = await anonymous.get('/ready');
        assert.equal(ready.status, 503);
        assert.deepEqual(ready.body.data, { status: 'not_ready', database: { dialect: backend.name, reachable: true, migrated: false, pending_migrations: [name] } });
        assert.equal((await anonymous.get('/health')).status, 200);
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(db);
      }
      assert.equal((await new Api(suite.server.url, undefined).get('/ready')).status, 200);
    });
  });
}
