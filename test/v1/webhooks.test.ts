import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

// Nothing listens on port 9 (discard) here; these tests never write persons, so nothing is ever sent there.
const URL_A = 'http://127.0.0.1:9/a';

for (const backend of testBackends()) {
  describe(`v1 webhooks API [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('creates a webhook with Pipedrive defaults and answers 201 in the v1 shape', async () => {
      const { api, userId, companyId } = await newTenant(server);
      const created = await api.post('/v1/webhooks', { subscription_url: URL_A, event_action: 'change', event_object: 'person', name: 'Sync' });
      assert.equal(created.status, 201);
      assert.equal(created.body.status, 'ok');
      assert.equal(created.body.success, true);
      const hook = created.body.data;
      assert.equal(typeof hook.id, 'number');
      assert.equal(hook.company_id, companyId);
      assert.equal(hook.owner_id, userId);
      assert.equal(hook.user_id, userId);
      assert.equal(hook.admin_id, userId);
      assert.equal(hook.event_action, 'change');
      assert.equal(hook.event_object, 'person');
      assert.equal(hook.subscription_url, URL_A);
      assert.equal(hook.version, '2.0');
      assert.equal(hook.is_active, 1);
      assert.equal(hook.type, 'general');
      assert.equal(hook.name, 'Sync');
      assert.match(hook.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      for (const key of ['remove_time', 'remove_reason', 'last_delivery_time', 'last_http_status', 'http_auth_user', 'http_auth_password', 'banned_until']) {
        assert.equal(hook[key], null, key);
      }

      const list = await api.get('/v1/webhooks');
      assert.equal(list.status, 200);
      assert.equal(list.body.status, 'ok');
      assert.deepEqual(list.body.data, [hook]);
    });

    it('accepts both action vocabularies, version 1.0, basic auth and a missing name', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/v1/webhooks', {
        subscription_url: 'https://hooks.example.com/in?x=1',
        event_action: 'updated',
        event_object: '*',
        version: '1.0',
        http_auth_user: 'me',
        http_auth_password: 's3cret',
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.data.event_action, 'updated');
      assert.equal(created.body.data.version, '1.0');
      assert.equal(created.body.data.http_auth_user, 'me');
      assert.equal(created.body.data.http_auth_password, 's3cret');
      assert.equal(created.body.data.name, 'updated.*');
      assert.equal(created.body.data.subscription_url, 'https://hooks.example.com/in?x=1');
    });

    it('answers invalid bodies with the webhooks error shape, naming the field', async () => {
      const { api } = await newTenant(server);
      const cases: [unknown, string, RegExp][] = [
        [{ event_action: '*', event_object: '*' }, 'subscription_url', /required/],
        [{ subscription_url: 'ftp://example.com/x', event_action: '*', event_object: '*' }, 'subscription_url', /http or https/],
        [{ subscription_url: 'not a url', event_action: '*', event_object: '*' }, 'subscription_url', /invalid or non-reachable URL/],
        [{ subscription_url: 'javascript:alert(1)', event_action: '*', event_object: '*' }, 'subscription_url', /http or https/],
        [{ subscription_url: URL_A, event_action: 'explode', event_object: '*' }, 'event_action', /must be one of/],
        [{ subscription_url: URL_A, event_action: '*', event_object: 'product' }, 'event_object', /must be one of/],
        [{ subscription_url: URL_A, event_action: '*', event_object: '*', version: '3.0' }, 'version', /must be one of/],
        [{ subscription_url: URL_A, event_action: '*', event_object: '*', name: 'x'.repeat(256) }, 'name', /255/],
        [{ subscription_url: URL_A, event_action: '*', event_object: '*', colour: 'red' }, 'colour', /unknown body property/],
        [{ subscription_url: URL_A, event_action: '*', event_object: '*', user_id: '1' }, 'user_id', /integer/],
      ];
      for (const [body, field, message] of cases) {
        const res = await api.post('/v1/webhooks', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.status, 'error');
        assert.equal(res.body.success, false);
        assert.deepEqual(Object.keys(res.body.errors), [field], JSON.stringify(res.body));
        assert.match(res.body.errors[field][0], message);
      }
      assert.deepEqual((await api.get('/v1/webhooks')).body.data, []);
    });

    it('answers bodies that are not JSON, or carry __proto__ / constructor keys, in the webhooks error shape (never a 500)', async () => {
      const { token, api } = await newTenant(server);
      const bodies = [
        '{"__proto__":{"polluted":1}}',
        `{"subscription_url":"${URL_A}","event_action":"*","event_object":"*","__proto__":{"x":1}}`,
        '{"constructor":{"prototype":{"x":1}}}',
        '{"broken": ',
        'not json at all',
      ];
      for (const prefix of ['/v1', '/api/v1']) {
        for (const body of bodies) {
          const res = await fetch(`${server.url}${prefix}/webhooks`, { method: 'POST', headers: { 'x-api-token': token, 'content-type': 'application/json' }, body });
          const answer = await res.json();
          assert.equal(res.status, 400, `${prefix} ${body}`);
          assert.deepEqual(Object.keys(answer).sort(), ['errors', 'status', 'success'], JSON.stringify(answer));
          assert.equal(answer.status, 'error');
          assert.equal(typeof answer.errors.body[0], 'string');
          if (body.includes('__proto__') || body.includes('constructor')) assert.match(answer.errors.body[0], /"__proto__" key/, body);
          assert.doesNotMatch(JSON.stringify(answer), /FST_ERR/);
        }
      }
      assert.deepEqual((await api.get('/v1/webhooks')).body.data, []);
    });

    it('refuses a user_id outside the company (400) and another user for regular users (403)', async () => {
      const tenant = await newTenant(server);
      const other = await newTenant(server);
      const unknown = await tenant.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*', user_id: other.userId });
      assert.equal(unknown.status, 400);
      assert.deepEqual(Object.keys(unknown.body.errors), ['user_id']);

      const regular = await tenant.addUser();
      const forbidden = await regular.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*', user_id: tenant.userId });
      assert.equal(forbidden.status, 403);
      assert.deepEqual(forbidden.body, { success: false, message: 'Forbidden' });

      const asRegular = await tenant.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*', user_id: regular.userId });
      assert.equal(asRegular.status, 201);
      assert.equal(asRegular.body.data.user_id, regular.userId);
      assert.equal(asRegular.body.data.owner_id, tenant.userId);
    });

    it('lets regular users see and delete only their own webhooks; admins manage all', async () => {
      const tenant = await newTenant(server);
      const regular = await tenant.addUser();
      const adminHook = (await tenant.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*' })).body.data;
      const ownHook = (await regular.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: 'person' })).body.data;

      assert.deepEqual((await regular.api.get('/v1/webhooks')).body.data.map((w: any) => w.id), [ownHook.id]);
      assert.deepEqual((await tenant.api.get('/v1/webhooks')).body.data.map((w: any) => w.id), [adminHook.id, ownHook.id]);

      const denied = await regular.api.delete(`/v1/webhooks/${adminHook.id}`);
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.body, { success: false, message: 'Forbidden' });

      const removed = await tenant.api.delete(`/v1/webhooks/${ownHook.id}`);
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body, { status: 'ok', success: true });
      assert.deepEqual((await tenant.api.get('/v1/webhooks')).body.data.map((w: any) => w.id), [adminHook.id]);
    });

    it('answers 404 in the webhooks shape for unknown ids and other companies\' webhooks', async () => {
      const tenant = await newTenant(server);
      const other = await newTenant(server);
      const theirs = (await other.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*' })).body.data;
      for (const path of [`/v1/webhooks/${theirs.id}`, '/v1/webhooks/999999999']) {
        const res = await tenant.api.delete(path);
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, { status: 'error', success: false, errors: { id: ['not found'] } });
      }
      const deliveries = await tenant.api.get(`/v1/webhooks/${theirs.id}/deliveries`);
      assert.equal(deliveries.status, 404);
      assert.deepEqual(deliveries.body.errors, { id: ['not found'] });
      assert.equal((await other.api.get('/v1/webhooks')).body.data.length, 1);
      const again = await tenant.api.delete(`/v1/webhooks/${theirs.id}`);
      assert.equal(again.status, 404);
    });

    it('holds at most 40 webhooks per company (422), and a deleted one frees its place', async () => {
      const tenant = await newTenant(server);
      const regular = await tenant.addUser();
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) {
        const api = i % 2 === 0 ? tenant.api : regular.api;
        const res = await api.post('/v1/webhooks', { subscription_url: `${URL_A}/${i}`, event_action: '*', event_object: '*' });
        assert.equal(res.status, 201);
        ids.push(res.body.data.id);
      }
      const over = await tenant.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*' });
      assert.equal(over.status, 422);
      assert.equal(over.body.status, 'error');
      assert.equal(over.body.success, false);
      assert.match(Object.values(over.body.errors as Record<string, string[]>)[0][0], /Webhooks limit reached/);
      // Another company is not affected.
      const other = await newTenant(server);
      assert.equal((await other.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*' })).status, 201);

      assert.equal((await tenant.api.delete(`/v1/webhooks/${ids[0]}`)).status, 200);
      assert.equal((await tenant.api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*' })).status, 201);
    });

    it('answers under /api/v1 too, and 401 without a token', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/api/v1/webhooks', { subscription_url: URL_A, event_action: 'delete', event_object: 'organization' });
      assert.equal(created.status, 201);
      assert.equal((await api.get('/api/v1/webhooks')).body.data.length, 1);
      const anonymous = await fetch(`${server.url}/v1/webhooks`);
      assert.equal(anonymous.status, 401);
      assert.equal((await anonymous.json()).errorCode, 401);
    });

    it('lists no deliveries for a webhook that got no events, and refuses an edited cursor', async () => {
      const { api } = await newTenant(server);
      const hook = (await api.post('/v1/webhooks', { subscription_url: URL_A, event_action: '*', event_object: '*' })).body.data;
      const res = await api.get(`/v1/webhooks/${hook.id}/deliveries`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok', success: true, data: [], additional_data: { next_cursor: null } });
      const bad = await api.get(`/v1/webhooks/${hook.id}/deliveries?cursor=abc.def`);
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { status: 'error', success: false, errors: { cursor: ['cursor is not valid'] } }, 'in the webhook error shape');
      const limit = await api.get(`/v1/webhooks/${hook.id}/deliveries?limit=501`);
      assert.equal(limit.status, 400);
      assert.deepEqual(Object.keys(limit.body.errors), ['limit']);
    });
  });
}
