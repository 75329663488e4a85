import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Api, newTenant, testBackends } from '../helpers/server.ts';
import { eventually, webhookSuite } from '../helpers/webhooks.ts';

const FORBIDDEN = { success: false, message: 'Forbidden' };
const DELIVERY_KEYS = ['attempt', 'entity_id', 'error', 'event', 'event_id', 'id', 'latency_ms', 'result', 'status_code', 'time'];

async function subscribed(api: Api, url: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await api.post('/v1/webhooks', { subscription_url: url, event_action: 'create', event_object: 'person', ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

const ids = async (api: Api) => (await api.get('/v1/webhooks')).body.data.map((w: any) => w.id);

for (const backend of testBackends()) {
  describe(`who manages webhooks [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('shows a regular user only the webhooks they created, with their deliveries; admins see every webhook and log', async () => {
      const tenant = await newTenant(suite.server);
      const regular = await tenant.addUser();
      const colleague = await tenant.addUser();
      const secondAdmin = await tenant.addUser({ admin: true });
      const url = suite.receiver.url;
      const adminHook = await subscribed(tenant.api, `${url}?hook=admin`, { http_auth_user: 'admin', http_auth_password: 'admin-secret' });
      // The admin's, authorised as the regular user: it stays the admin's (its credentials are the admin's).
      const adminForRegular = await subscribed(tenant.api, `${url}?hook=admin-for-regular`, { user_id: regular.userId, http_auth_password: 'other-secret' });
      const regularHook = await subscribed(regular.api, `${url}?hook=regular`);
      const colleagueHook = await subscribed(colleague.api, `${url}?hook=colleague`);

      await regular.api.post('/api/v2/persons', { name: 'Shared with everyone', visible_to: 3 });
      await suite.receiver.waitFor(4);
      for (const hook of [adminHook, adminForRegular, regularHook, colleagueHook]) {
        await eventually(async () => (await tenant.api.get(`/v1/webhooks/${hook.id}/deliveries`)).body.data.length === 1, 5000, `hook ${hook.id} delivered`);
      }

      assert.deepEqual(await ids(regular.api), [regularHook.id]);
      assert.deepEqual(await ids(colleague.api), [colleagueHook.id]);
      const all = [adminHook.id, adminForRegular.id, regularHook.id, colleagueHook.id];
      assert.deepEqual(await ids(tenant.api), all);
      assert.deepEqual(await ids(secondAdmin.api), all);
      assert.doesNotMatch(JSON.stringify((await regular.api.get('/v1/webhooks')).body), /secret/);

      const own = await regular.api.get(`/v1/webhooks/${regularHook.id}/deliveries`);
      assert.equal(own.status, 200);
      assert.equal(own.body.data.length, 1);
      assert.equal(own.body.data[0].result, 'success');
      // The log is about attempts, never the events' contents.
      assert.deepEqual(Object.keys(own.body.data[0]).sort(), DELIVERY_KEYS);
      assert.doesNotMatch(JSON.stringify(own.body), /Shared with everyone/);

      for (const hook of [adminHook, adminForRegular, colleagueHook]) {
        const res = await regular.api.get(`/v1/webhooks/${hook.id}/deliveries`);
        assert.equal(res.status, 403, `deliveries of ${hook.id}`);
        assert.deepEqual(res.body, FORBIDDEN);
      }
      for (const hook of [regularHook, colleagueHook]) {
        const res = await secondAdmin.api.get(`/v1/webhooks/${hook.id}/deliveries`);
        assert.equal(res.status, 200);
        assert.equal(res.body.data.length, 1);
      }
    });

    it('lets a regular user delete only their own webhooks, and admins delete anyone\'s', async () => {
      const tenant = await newTenant(suite.server);
      const regular = await tenant.addUser();
      const colleague = await tenant.addUser();
      const secondAdmin = await tenant.addUser({ admin: true });
      const url = suite.receiver.url;
      const adminHook = await subscribed(tenant.api, url);
      const adminForRegular = await subscribed(tenant.api, url, { user_id: regular.userId });
      const regularHook = await subscribed(regular.api, url);
      const colleagueHook = await subscribed(colleague.api, url);

      for (const hook of [adminHook, adminForRegular, colleagueHook]) {
        const res = await regular.api.delete(`/v1/webhooks/${hook.id}`);
        assert.equal(res.status, 403);
        assert.deepEqual(res.body, FORBIDDEN);
      }
      assert.deepEqual(await ids(tenant.api), [adminHook.id, adminForRegular.id, regularHook.id, colleagueHook.id]);

      assert.equal((await regular.api.delete(`/v1/webhooks/${regularHook.id}`)).status, 200);
      assert.equal((await secondAdmin.api.delete(`/v1/webhooks/${colleagueHook.id}`)).status, 200);
      assert.equal((await secondAdmin.api.delete(`/v1/webhooks/${adminHook.id}`)).status, 200);
      assert.deepEqual(await ids(tenant.api), [adminForRegular.id]);
      assert.deepEqual(await ids(colleague.api), []);
    });

    it('lets a regular user authorise a webhook only as themselves', async () => {
      const tenant = await newTenant(suite.server);
      const regular = await tenant.addUser();
      const colleague = await tenant.addUser();
      for (const userId of [tenant.userId, colleague.userId]) {
        const res = await regular.api.post('/v1/webhooks', { subscription_url: suite.receiver.url, event_action: '*', event_object: '*', user_id: userId });
        assert.equal(res.status, 403);
        assert.deepEqual(res.body, FORBIDDEN);
      }
      const self = await subscribed(regular.api, suite.receiver.url, { user_id: regular.userId });
      assert.deepEqual([self.owner_id, self.user_id], [regular.userId, regular.userId]);
      assert.deepEqual(await ids(regular.api), [self.id]);
    });
  });
}
