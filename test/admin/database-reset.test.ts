import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type Backend, type TestServer } from '../helpers/server.ts';
import { adminTenant, startAdminServer } from './admin-server.ts';

// The whole database goes back to its first state, so this runs on a database of its own: in memory (PostgreSQL's
// test database is shared by the test files running in parallel).
const inMemory: Backend = { name: 'sqlite', databaseUrl: () => ({ url: 'memory:', cleanup() {} }) };
const BOOTSTRAP_TOKEN = 'bootstrap-token-for-reset-0001';

describe('admin API: whole-database reset [in memory]', () => {
  let server: TestServer;
  let admin: Api;
  before(async () => ({ server, admin } = await startAdminServer(inMemory, { bootstrapToken: BOOTSTRAP_TOKEN })));
  after(() => server.close());

  it('returns to the first-start state: only the bootstrap company, emptied, its token still valid', async () => {
    const bootstrap = new Api(server.url, BOOTSTRAP_TOKEN);
    const firstState = (await bootstrap.get('/api/v2/personFields')).body.data.map((f: any) => f.field_code);
    await bootstrap.post('/api/v2/persons', { name: 'Ada' });
    await bootstrap.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'varchar' });
    assert.equal((await bootstrap.post('/v1/users', { name: 'Second', email: 'second@example.com' })).status, 200);
    assert.equal((await bootstrap.get('/v1/users')).body.data.length, 2);
    const other = await adminTenant(server, admin);

    assert.equal((await admin.post('/_personsd/reset')).status, 200);

    assert.deepEqual((await bootstrap.get('/api/v2/persons')).body.data, []);
    assert.deepEqual((await bootstrap.get('/api/v2/personFields')).body.data.map((f: any) => f.field_code), firstState);
    assert.deepEqual((await bootstrap.get('/v1/users')).body.data.map((u: any) => u.email), ['admin@example.com']);
    assert.equal((await other.api.get('/api/v2/persons')).status, 401);
    const companies = await server.store.db.selectFrom('companies').select('id').execute();
    assert.equal(companies.length, 1);
  });
});
