import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * What a client sees while the database cannot serve, and that the service recovers by itself afterwards.
 * The ways a database fails differ by backend, so each gets its own scenario: a PostgreSQL server goes away or
 * stops answering (simulated with a proxy, so the shared server is untouched); an SQLite file stays locked by
 * another process for longer than the busy timeout.
 */
const UNAVAILABLE = {
  success: false,
  error: 'Service temporarily unavailable',
  error_info: 'The database could not be reached or was too busy; retry shortly.',
  data: null,
  additional_data: null,
};

for (const backend of testBackends()) {
  if (backend.name === 'postgres') {
    describe('database outage [postgres]', { timeout: 120_000 }, () => {
      let proxy: TcpProxy;
      let server: TestServer;
      before(async () => {
        const target = new URL(backend.databaseUrl().url);
        proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
        const database = parseDatabaseUrl(proxy.proxied(target.toString()), { poolSize: 3, connectTimeoutMs: 1000 });
        server = await startTestServer(backend, { database });
      });
      after(async () => {
        await server.close();
        await proxy.close();
      });

      it('answers 503 in the envelope while the database is gone or hanging, and recovers when it is back', async () => {
        const { api } = await newTenant(server);
        const created = await api.post('/api/v2/persons', { name: 'Survivor', emails: [{ value: 'survivor@example.com' }] });
        assert.equal(created.status, 200);
        const id = created.body.data.id;

        await proxy.down();
        const ready = await api.get('/ready');
        assert.equal(ready.status, 503);
        assert.deepEqual(ready.body, {
          success: false,
          data: { status: 'not_ready', database: { dialect: 'postgres', reachable: false, migrated: null, pending_migrations: [] } },
        });
        // The process itself is alive: restarting it would not bring the database back.
        assert.equal((await api.get('/health')).status, 200);
        for (const response of [await api.get(`/api/v2/persons/${id}`), await api.post('/api/v2/persons', { name: 'Lost' })]) {
          assert.equal(response.status, 503);
          assert.deepEqual(response.body, UNAVAILABLE);
          assert.equal(response.headers.get('retry-after'), '1');
        }

        // A database that accepts connections but never answers costs a request the connect timeout, not forever.
        await proxy.hang();
        const started = Date.now();
        const hung = await api.get(`/api/v2/persons/${id}`);
        assert.equal(hung.status, 503);
        assert.deepEqual(hung.body, UNAVAILABLE);
        assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
        assert.equal((await api.get('/ready')).status, 503);

        await proxy.up();
        assert.equal((await api.get('/ready')).status, 200);
        const read = await api.get(`/api/v2/persons/${id}`);
        assert.equal(read.status, 200);
        assert.deepEqual(read.body.data, created.body.data);
        const listed = await api.get('/api/v2/persons');
        assert.deepEqual(listed.body.data.map((p: { name: string }) => p.name), ['Survivor']);
        assert.equal((await api.post('/api/v2/persons', { name: 'After the outage' })).status, 200);
      });
    });
  } else {
    describe('database locked by another process [sqlite]', { timeout: 120_000 }, () => {
      let server: TestServer;
      before(async () => {
        server = await startTestServer(backend);
      });
      after(() => server.close());

      it('answers a write 503 in the envelope while another process holds the lock too long, and recovers', async () => {
        const { api } = await newTenant(server);
        const created = await api.post('/api/v2/persons', { name: 'Survivor' });
        assert.equal(created.status, 200);
        const path = (server.config.database as { path: string }).path;

        const other = new SqliteDatabase(path);
        try {
          other.exec('BEGIN IMMEDIATE');
          // Readers are not blocked in WAL mode; a writer waits out the busy timeout, then gives up.
          assert.equal((await api.get(`/api/v2/persons/${created.body.data.id}`)).status, 200);
          const blocked = await api.post('/api/v2/persons', { name: 'Blocked' });
          assert.equal(blocked.status, 503);
          assert.deepEqual(blocked.body, UNAVAILABLE);
          other.exec('ROLLBACK');
        } finally {
          other.close();
        }

        assert.equal((await api.post('/api/v2/persons', { name: 'After the lock' })).status, 200);
        const names = (await api.get('/api/v2/persons')).body.data.map((p: { name: string }) => p.name);
        assert.deepEqual(names, ['Survivor', 'After the lock']);
      });
    });
  }
}
