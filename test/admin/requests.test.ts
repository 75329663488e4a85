import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type TestServer, testBackends } from '../helpers/server.ts';
import { ADMIN_TOKEN, adminTenant, startAdminServer } from './admin-server.ts';

for (const backend of testBackends()) {
  describe(`admin API: request journal [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    before(async () => ({ server, admin } = await startAdminServer(backend, { admin: { token: ADMIN_TOKEN, journalSize: 5 } })));
    after(() => server.close());

    it('records API requests newest first, with tokens and secrets masked, and never the admin requests', async () => {
      const tenant = await adminTenant(server, admin);
      assert.equal((await admin.delete('/_personsd/requests')).status, 200);
      const since = new Date().toISOString();
      await tenant.api.post('/api/v2/persons', { name: 'Ada' }, { authorization: 'Bearer secret-bearer', cookie: 'session=secret-cookie' });
      await fetch(`${server.url}/v1/users/me?api_token=${tenant.token}`);
      await tenant.api.post('/v1/webhooks', { subscription_url: 'https://hooks.example.com/in', event_action: '*', event_object: 'person', http_auth_user: 'u', http_auth_password: 'secret-password' });

      const journal = (await admin.get(`/_personsd/requests?since=${encodeURIComponent(since)}`)).body.data;
      assert.deepEqual(journal.map((e: any) => `${e.method} ${e.path} ${e.status}`), ['POST /v1/webhooks 201', 'GET /v1/users/me 200', 'POST /api/v2/persons 200']);
      const text = JSON.stringify(journal);
      for (const secret of [tenant.token, 'secret-bearer', 'secret-cookie', 'secret-password', ADMIN_TOKEN]) assert.ok(!text.includes(secret), `${secret} leaked into the journal`);
      const [webhook, me, person] = journal;
      assert.equal(person.headers['x-api-token'], '***');
      assert.equal(person.headers.authorization, '***');
      assert.equal(person.headers.cookie, '***');
      assert.deepEqual(person.body, { name: 'Ada' });
      assert.equal(me.query.api_token, '***');
      assert.equal(webhook.body.http_auth_password, '***');
      assert.equal(webhook.body.http_auth_user, 'u');
      assert.equal(typeof person.duration_ms, 'number');
      assert.ok(journal.every((e: any) => !e.path.startsWith('/_personsd')));
    });

    it('filters by method, path pattern and status, keeps only the newest entries, and clears', async () => {
      const tenant = await adminTenant(server, admin);
      await admin.delete('/_personsd/requests');
      const id = (await tenant.api.post('/api/v2/persons', { name: 'Ada' })).body.data.id;
      await tenant.api.get(`/api/v2/persons/${id}`);
      await tenant.api.get('/api/v2/persons/999999');
      const byStatus = (await admin.get('/_personsd/requests?status=404')).body.data;
      assert.deepEqual(byStatus.map((e: any) => e.path), ['/api/v2/persons/999999']);
      const byPath = (await admin.get('/_personsd/requests?method=get&path=/api/v2/persons/*')).body.data;
      assert.deepEqual(byPath.map((e: any) => e.path), ['/api/v2/persons/999999', `/api/v2/persons/${id}`]);
      for (let i = 0; i < 7; i++) await tenant.api.get(`/api/v2/persons?limit=${i + 1}`);
      const kept = (await admin.get('/_personsd/requests')).body.data;
      assert.deepEqual(kept.map((e: any) => e.query.limit), [7, 6, 5, 4, 3]);
      await admin.delete('/_personsd/requests');
      assert.deepEqual((await admin.get('/_personsd/requests')).body.data, []);
    });
  });
}
