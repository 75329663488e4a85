import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

function assertEnvelope(body: any): void {
  assert.equal(body.success, false);
  assert.equal(typeof body.error, 'string');
  assert.equal(typeof body.error_info, 'string');
  assert.equal(body.data, null);
  assert.equal(body.additional_data, null);
}

const APP_ORIGIN = 'https://app.example.com';

for (const backend of testBackends()) {
  describe(`hardening [${backend.name}]`, () => {
    let server: TestServer;
    let corsServer: TestServer;
    before(async () => {
      server = await startTestServer(backend);
      corsServer = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, corsOrigins: [APP_ORIGIN] } });
    });
    after(async () => {
      await server.close();
      await corsServer.close();
    });

    it('refuses a URL over the limit with 414 and request heads over the limit with 431, both in the envelope', async () => {
      const { api } = await newTenant(server);
      const longUrl = await api.get(`/api/v2/persons?ids=${'1,'.repeat(4600)}1`);
      assert.equal(longUrl.status, 414);
      assertEnvelope(longUrl.body);
      const bigHeader = await api.get('/api/v2/persons', { 'x-padding': 'a'.repeat(20_000) });
      assert.equal(bigHeader.status, 431);
      assertEnvelope(bigHeader.body);
      assert.equal((await api.get('/api/v2/persons')).status, 200, 'the server still serves');
    });

    it('refuses a path parameter the router cannot decode (400) or that is over its length limit (414) in the envelope', async () => {
      const { api } = await newTenant(server);
      for (const path of ['/api/v2/persons/%', '/api/v2/persons/%ED%A0%80/followers', '/v1/webhooks/%FF']) {
        const res = await api.get(path);
        assert.equal(res.status, 400, path);
        assertEnvelope(res.body);
        assert.match(res.body.error, /^Malformed URL/);
      }
      const long = await api.delete(`/v1/webhooks/${'x'.repeat(300)}`);
      assert.equal(long.status, 414);
      assertEnvelope(long.body);
    });

    it('parses JSON strictly: UTF-8 only, no duplicate keys, no prototype keys, and refuses without writing', async () => {
      const { api } = await newTenant(server);
      const post = (body: string, contentType = 'application/json') => api.post('/api/v2/persons', body, { 'content-type': contentType });
      const latin1 = await post('{"name":"Latin"}', 'application/json; charset=iso-8859-1');
      assert.equal(latin1.status, 415);
      assertEnvelope(latin1.body);
      assert.equal((await post('{"name":"Utf"}', 'application/json; charset=UTF-8')).status, 200);

      const duplicate = await post('{"name":"First","job_title":"x","name":"Second"}');
      assert.equal(duplicate.status, 400);
      assert.match(duplicate.body.error, /"name" twice/);
      const nested = await post('{"name":"N","emails":[{"value":"a@example.com","value":"b@example.com"}]}');
      assert.equal(nested.status, 400);
      assert.match(nested.body.error, /"value" twice/);
      const escaped = await post('{"name":"E","na\\u006de":"F"}');
      assert.equal(escaped.status, 400, 'an escaped spelling of the same key is the same key');
      // The same key in sibling objects, and a key-like string value, are fine.
      const siblings = await post('{"name":"S, \\"name\\": x","emails":[{"value":"a@example.com"},{"value":"b@example.com"}]}');
      assert.equal(siblings.status, 200);
      assert.equal(siblings.body.data.emails.length, 2);

      const proto = await post('{"name":"P","__proto__":{"admin":true}}');
      assert.equal(proto.status, 400);
      assertEnvelope(proto.body);
      // Said as what it is, not as broken JSON.
      assert.match(proto.body.error, /"__proto__" key.*not accepted/);
      const constructorKey = await post('{"name":"C","custom_fields":{"x":{"constructor":{"prototype":{"admin":true}}}}}');
      assert.equal(constructorKey.status, 400);
      assert.match(constructorKey.body.error, /"constructor" key holding "prototype"/);
      const names = (await api.get('/api/v2/persons')).body.data.map((p: any) => p.name).sort();
      assert.deepEqual(names, ['S, "name": x', 'Utf']);
    });

    it('refuses a JSON body nested deeper than 32 levels', async () => {
      const { api } = await newTenant(server);
      const deep = (levels: number) => `{"name":"D","custom_fields":${'{"a":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;
      // Thousands of levels used to overflow the stack in the NUL-character check: a 500.
      for (const levels of [33, 10_000]) {
        const res = await api.post('/api/v2/persons', deep(levels));
        assert.equal(res.status, 400, `${levels} levels`);
        assertEnvelope(res.body);
        assert.match(res.body.error, /more than 32 levels deep/);
      }
      assert.equal((await api.post('/api/v2/persons', deep(32))).status, 400, 'at the limit the body is parsed, and refused for its unknown field');
      assert.match((await api.post('/api/v2/persons', deep(32))).body.error, /custom_fields\.a is not a custom field/);
      const arrays = await api.post('/api/v2/persons', `${'['.repeat(50_000)}${']'.repeat(50_000)}`);
      assert.equal(arrays.status, 400);
      assertEnvelope(arrays.body);
      assert.equal((await api.get('/api/v2/persons')).body.data.length, 0, 'nothing was written');
    });

    it('answers the JSON parser\'s refusals on the webhook and OAuth routes in their own shapes', async () => {
      const { api } = await newTenant(server);
      // These routes have error handlers of their own; a refusal of the parser used to reach them as a 500.
      for (const body of [`{"subscription_url":${'['.repeat(40)}${']'.repeat(40)}}`, '{"event_action":"*","event_action":"added"}']) {
        const webhook = await api.post('/v1/webhooks', body);
        assert.equal(webhook.status, 400, body);
        assert.equal(webhook.body.status, 'error');
        assert.equal(webhook.body.success, false);
        assert.equal(typeof webhook.body.errors.body[0], 'string');
      }
      for (const body of [`{"token":${'['.repeat(40)}${']'.repeat(40)}}`, '{"token":"a","token":"b"}']) {
        const revoke = await api.post('/oauth/revoke', body);
        assert.equal(revoke.status, 400, body);
        assertEnvelope(revoke.body);
        assert.equal(revoke.body.error, 'invalid_request');
      }
      assert.deepEqual((await api.get('/v1/webhooks')).body.data, [], 'nothing was written');
    });

    it('sends security headers, with a locked-down content policy on API responses but not on the docs pages', async () => {
      const { api } = await newTenant(server);
      const res = await api.get('/api/v2/persons');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
      assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
      assert.equal(res.headers.get('x-powered-by'), null);
      const unauthorized = await new Api(server.url, undefined).get('/api/v2/persons');
      assert.equal(unauthorized.headers.get('x-content-type-options'), 'nosniff', 'errors carry them too');
      const docs = await api.get('/docs/');
      assert.equal(docs.status, 200);
      assert.equal(docs.headers.get('content-security-policy'), null);
    });

    it('sends no CORS headers unless origins are configured', async () => {
      const { api } = await newTenant(server);
      const res = await api.get('/api/v2/persons', { origin: APP_ORIGIN });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    });

    it('answers CORS for the configured origins only, exposing the rate-limit headers', async () => {
      const { api } = await newTenant(corsServer);
      const preflight = await fetch(`${corsServer.url}/api/v2/persons`, {
        method: 'OPTIONS',
        headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-token, content-type' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), APP_ORIGIN);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-api-token/);
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);

      const allowed = await api.get('/api/v2/persons', { origin: APP_ORIGIN });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), APP_ORIGIN);
      assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /x-ratelimit-remaining/);

      const other = await api.get('/api/v2/persons', { origin: 'https://evil.example.net' });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    });
  });
}
