import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startPersonsd } from '../../src/app/testing.ts';
import { Api, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`startPersonsd [${backend.name}]`, () => {
    it('serves a company of its own with the admin API on; reset() empties it and clears faults and the journal', async () => {
      const db = backend.name === 'postgres' ? backend.databaseUrl() : undefined;
      const personsd = await startPersonsd({ databaseUrl: db?.url });
      try {
        const api = new Api(personsd.url, personsd.token);
        const admin = new Api(personsd.url, undefined);
        const adminHeaders = { 'x-personsd-admin-token': personsd.adminToken };
        assert.equal((await api.post('/api/v2/persons', { name: 'Ada' })).status, 200);
        assert.equal((await api.get('/v1/users/me')).body.data.company_id, personsd.companyId);
        assert.equal((await fetch(`${personsd.apiUrl}/persons`, { headers: { 'x-api-token': personsd.token } })).status, 200);
        await admin.post('/_personsd/faults', { path: '/nowhere', status: 500 }, adminHeaders);

        await personsd.reset();

        assert.deepEqual((await api.get('/api/v2/persons')).body.data, []);
        assert.deepEqual((await admin.get('/_personsd/faults', adminHeaders)).body.data, []);
        const journal = (await admin.get('/_personsd/requests', adminHeaders)).body.data;
        assert.deepEqual(journal.map((e: any) => e.path), ['/api/v2/persons'], 'only the request after the reset');
      } finally {
        await personsd.stop();
      }
    });
  });
}
