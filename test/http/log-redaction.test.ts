import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OAuthService } from '../../src/domain/access/oauth.service.ts';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const REDIRECT = 'https://integration.example.com/oauth/callback';
const secret = () => randomBytes(20).toString('hex');

/** Every log line the server wrote, as parsed JSON, with the text they came from. */
function capture() {
  const lines: string[] = [];
  return { stream: { write: (line: string) => void lines.push(line) }, text: () => lines.join(''), lines };
}

for (const backend of testBackends()) {
  describe(`log redaction [${backend.name}]`, () => {
    const log = capture();
    const adminToken = secret();
    let server: TestServer;
    let tenant: Tenant;
    before(async () => {
      server = await startTestServer(backend, { logLevel: 'trace', admin: { token: adminToken, journalSize: 100 } }, { logger: true, logStream: log.stream });
      tenant = await newTenant(server);
    });
    after(() => server.close());

    it('writes no secret a request carried into any log line: URLs, headers, OAuth forms, webhook passwords, admin token', async () => {
      const secrets: Record<string, string> = { apiToken: tenant.token, unknownToken: secret(), webhookPassword: secret(), adminToken };
      const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: 'manual' });

      assert.equal((await get(`/api/v2/persons?limit=1&api_token=${tenant.token}`)).status, 200);
      assert.equal((await get(`/v1/users/me?api%5Ftoken=${tenant.token}`)).status, 200);
      assert.equal((await get(`/api/v2/nowhere?api_token=${tenant.token}`)).status, 404);
      assert.equal((await get('/api/v2/persons', { 'x-api-token': secrets.unknownToken })).status, 401);
      assert.equal((await get(`/api/v2/persons?api_token=${secrets.unknownToken}`)).status, 401);

      const app = await new OAuthService(server.store.db, DEFAULT_ACCESS.oauth).registerApp({ name: 'Log test', redirectUri: REDIRECT });
      secrets.clientSecret = app.clientSecret;
      const consent = await get(`/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&api_token=${tenant.token}`);
      assert.equal(consent.status, 302);
      secrets.code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
      const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });
      const tokens = (await (await form({ grant_type: 'authorization_code', code: secrets.code, redirect_uri: REDIRECT, client_id: app.clientId, client_secret: app.clientSecret })).json()) as any;
      assert.ok(tokens.access_token, JSON.stringify(tokens));
      secrets.accessToken = tokens.access_token;
      secrets.refreshToken = tokens.refresh_token;
      assert.equal((await get('/api/v1/users/me', { authorization: `Bearer ${tokens.access_token}` })).status, 200);
      const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
      const refreshed = await form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { authorization: basic });
      assert.equal(refreshed.status, 200);
      const fresh = (await refreshed.json()) as any;
      secrets.freshAccessToken = fresh.access_token;
      secrets.freshRefreshToken = fresh.refresh_token;
      // A wrong client secret and a replayed code: failures are logged too.
      assert.equal((await form({ grant_type: 'authorization_code', code: secrets.code, redirect_uri: REDIRECT, client_id: app.clientId, client_secret: secrets.unknownToken })).status, 401);
      const revoke = await fetch(`${server.url}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams({ token: fresh.access_token }),
      });
      assert.equal(revoke.status, 200);
      assert.equal((await get('/api/v2/persons', { authorization: `Bearer ${fresh.access_token}` })).status, 401);

      const webhook = await tenant.api.post('/v1/webhooks', {
        subscription_url: 'http://127.0.0.1:9/hook',
        event_action: '*',
        event_object: 'person',
        http_auth_user: 'hooks',
        http_auth_password: secrets.webhookPassword,
      });
      assert.equal(webhook.status, 201);
      assert.equal((await get('/_personsd/requests', { 'x-personsd-admin-token': adminToken })).status, 200);
      assert.equal((await get('/_personsd/requests', { 'x-personsd-admin-token': secrets.unknownToken })).status, 401);

      // A request's last line is written after its response: wait until every request has its own.
      const count = (message: string) => log.lines.filter((line) => line.includes(`"msg":"${message}"`)).length;
      while (count('request completed') < count('incoming request')) await new Promise((resolve) => setImmediate(resolve));
      const text = log.text();
      // The log did record these requests, so the absence below means something.
      assert.equal(count('incoming request'), 15);
      assert.match(text, /"url":"\/api\/v2\/persons\?limit=1&api_token=\*\*\*"/);
      assert.match(text, /"url":"\/v1\/users\/me\?api%5Ftoken=\*\*\*"/);
      assert.match(text, /"url":"\/oauth\/authorize\?client_id=[^"]*&api_token=\*\*\*"/);
      for (const [name, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${name} appears in the log`);
    });
  });
}
