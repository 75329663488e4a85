import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { bootstrapIfEmpty } from '../../src/domain/bootstrap.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { Api, type Backend, type TestServer, testBackends } from '../helpers/server.ts';
import { ADMIN_TOKEN, adminTenant, startAdminServer } from './admin-server.ts';

// The whole database goes back to its first state, so each run has a database of its own (PostgreSQL's test
// database is shared by the test files running in parallel).
const inMemory: Backend = { name: 'sqlite', databaseUrl: () => ({ url: 'memory:', cleanup() {} }) };
const BOOTSTRAP_TOKEN = 'bootstrap-token-for-reset-0001';

for (const [label, backend] of [['in memory', inMemory], ...testBackends().map((b) => [b.name, b] as const)] as const) {
  describe(`admin API: whole-database reset [${label}]`, () => {
    let database: IsolatedDatabase | undefined;
    let server: TestServer;
    let admin: Api;
    before(async () => {
      const overrides = { bootstrapToken: BOOTSTRAP_TOKEN, admin: { token: ADMIN_TOKEN, journalSize: 100 } };
      if (backend === inMemory) ({ server, admin } = await startAdminServer(backend, overrides));
      else {
        database = await isolatedDatabase(backend);
        ({ server, admin } = await startAdminServer(backend, { ...overrides, database: parseDatabaseUrl(database.url, 3) }));
        // As `personsd serve` does before serving a file or PostgreSQL database.
        await bootstrapIfEmpty(server.store.db, BOOTSTRAP_TOKEN);
      }
    });
    after(async () => {
      await server.close();
      await database?.drop();
    });

    it('returns to the first-start state: only the bootstrap company, emptied, its token still valid', async () => {
      const bootstrap = new Api(server.url, BOOTSTRAP_TOKEN);
      const firstState = (await bootstrap.get('/api/v2/personFields')).body.data.map((f: any) => f.field_code);
      await bootstrap.post('/api/v2/persons', { name: 'Ada' });
      await bootstrap.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'varchar' });
      assert.equal((await bootstrap.post('/v1/users', { name: 'Second', email: 'second@example.com' })).status, 200);
      assert.equal((await bootstrap.get('/v1/users')).body.data.length, 2);
      const other = await adminTenant(server, admin);
      await other.api.post('/api/v2/persons', { name: 'Elsewhere' });

      assert.equal((await admin.post('/_personsd/reset')).status, 200);

      assert.deepEqual((await bootstrap.get('/api/v2/persons')).body.data, []);
      assert.deepEqual((await bootstrap.get('/api/v2/personFields')).body.data.map((f: any) => f.field_code), firstState);
      assert.deepEqual((await bootstrap.get('/v1/users')).body.data.map((u: any) => u.email), ['admin@example.com']);
      assert.equal((await other.api.get('/api/v2/persons')).status, 401);
      const companies = await server.store.db.selectFrom('companies').select('id').execute();
      assert.equal(companies.length, 1);
    });
  });
}
