import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { Api, type Backend, type TestServer, testBackends } from '../helpers/server.ts';
import { adminTenant, startAdminServer } from './admin-server.ts';

// A restore rewrites the whole database, so each suite has a database of its own.
const inMemory: Backend = { name: 'sqlite', databaseUrl: () => ({ url: 'memory:', cleanup() {} }) };

/** Everything a client can read of a company that a snapshot must bring back exactly. */
async function everything(api: Api) {
  const read = async (path: string) => {
    const res = await api.get(path);
    assert.equal(res.status, 200, path);
    return res.body.data;
  };
  return {
    persons: await read('/api/v2/persons?limit=500&include_fields=open_deals_count,followers_count,notes_count'),
    // A plain list reads the stored documents (person_docs), which a restore must bring back in step.
    plainPersons: await read('/api/v2/persons?limit=500'),
    notes: await read('/v1/notes?limit=500'),
    organizations: await read('/api/v2/organizations?limit=500'),
    deals: await read('/api/v2/deals?limit=500'),
    fields: await read('/api/v2/personFields?limit=500'),
    users: await read('/v1/users'),
    webhooks: await read('/v1/webhooks'),
    search: await read('/api/v2/persons/search?term=lovelace'),
  };
}

for (const [label, backend] of [['in memory', inMemory], ...testBackends().map((b) => [b.name, b] as const)] as const) {
  describe(`admin API: snapshots [${label}]`, () => {
    let database: IsolatedDatabase | undefined;
    let server: TestServer;
    let admin: Api;
    before(async () => {
      if (backend !== inMemory) database = await isolatedDatabase(backend);
      ({ server, admin } = await startAdminServer(backend, database ? { database: parseDatabaseUrl(database.url, 3) } : {}));
    });
    after(async () => {
      await server.close();
      await database?.drop();
    });

    it('a restore brings back exactly what was there: rows, search index, and the next ids', async () => {
      const { api } = await adminTenant(server, admin);
      const org = (await api.post('/api/v2/organizations', { name: 'Analytical Engines' })).body.data;
      const ada = (await api.post('/api/v2/persons', { name: 'Ada Lovelace', org_id: org.id, emails: [{ value: 'ada@example.com', primary: true }] })).body.data;
      await api.post('/api/v2/deals', { title: 'Difference engine', person_id: ada.id });
      const note = (await api.post('/v1/notes', { content: '<p>Wrote the first program</p>', person_id: ada.id })).body.data;
      await api.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'varchar' });
      await api.post('/v1/webhooks', { subscription_url: 'https://hooks.example.com/in', event_action: '*', event_object: 'person' });
      const before = await everything(api);

      assert.equal((await admin.post('/_personsd/snapshots', { name: 'seeded' })).status, 201);
      const next = (await api.post('/api/v2/persons', { name: 'Charles Lovelace' })).body.data.id;
      await api.patch(`/api/v2/persons/${ada.id}`, { name: 'Augusta Ada King' });
      await api.put(`/v1/notes/${note.id}`, { content: 'Edited after the snapshot' });
      await api.post('/v1/notes', { content: 'Added after the snapshot', person_id: ada.id });
      await api.delete(`/api/v2/organizations/${org.id}`);
      await api.post('/api/v2/personFields', { field_name: 'Region', field_type: 'varchar' });
      const changed = await everything(api);
      assert.notDeepEqual(changed, before);

      const restored = await admin.post('/_personsd/snapshots/seeded/restore');
      assert.equal(restored.status, 200);
      assert.deepEqual(await everything(api), before);
      // The ids given after the snapshot are given again: a restored database continues as the snapshot would have.
      assert.equal((await api.post('/api/v2/persons', { name: 'Charles Babbage' })).body.data.id, next);
      assert.equal((await api.get('/api/v2/persons/search?term=babbage')).body.data.items.length, 1);
      // And it can be restored again, any number of times.
      assert.equal((await admin.post('/_personsd/snapshots/seeded/restore')).status, 200);
      assert.deepEqual(await everything(api), before);
    });

    it('lists, replaces and deletes snapshots; an unknown or malformed name is a clear error', async () => {
      await admin.post('/_personsd/snapshots', { name: 'a' });
      await admin.post('/_personsd/snapshots', { name: 'b' });
      await admin.post('/_personsd/snapshots', { name: 'a' });
      const names = (await admin.get('/_personsd/snapshots')).body.data.map((s: any) => s.name);
      assert.ok(names.includes('a') && names.includes('b'));
      assert.equal((await admin.delete('/_personsd/snapshots/b')).status, 200);
      assert.ok(!(await admin.get('/_personsd/snapshots')).body.data.some((s: any) => s.name === 'b'));
      const missing = await admin.post('/_personsd/snapshots/nope/restore');
      assert.equal(missing.status, 404);
      assert.match(missing.body.error, /Snapshot not found/);
      for (const name of ['../etc', 'with space', '', 'x'.repeat(65)]) {
        const res = await admin.post('/_personsd/snapshots', { name });
        assert.equal(res.status, 400, name);
        assert.equal(res.body.success, false);
      }
    });
  });
}
