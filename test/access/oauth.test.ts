import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { v1, v2 } from 'pipedrive';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { OAuthService, hashSecret } from '../../src/domain/access/oauth.service.ts';
import { advanceClock, freezeClock, resetClock } from '../../src/domain/clock.ts';
import { clientError } from '../helpers/client.ts';
import { databaseUrlOf } from '../helpers/child-server.ts';
import { Api, type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const REDIRECT = 'https://integration.example.com/oauth/callback';

async function registerApp(server: TestServer, scopes?: string) {
  return new OAuthService(server.store.db, DEFAULT_ACCESS.oauth).registerApp({ name: 'Test <App>', redirectUri: REDIRECT, scopes });
}

/** What the browser would do: the user (their API token) approves, personsd redirects with a code. */
async function authorizationCode(server: TestServer, clientId: string, token: string, state = 'st-123'): Promise<string> {
  const url = `${server.url}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=${state}`;
  const res = await fetch(url, { headers: { 'x-api-token': token }, redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  assert.equal(location.searchParams.get('state'), state);
  const code = location.searchParams.get('code');
  assert.ok(code);
  return code;
}

async function tokenRequest(server: TestServer, form: Record<string, string>, basic?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  const res = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

function oauthClient(server: TestServer, app: { clientId: string; clientSecret: string }) {
  return new v2.OAuth2Configuration({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT, host: server.url });
}

for (const backend of testBackends()) {
  describe(`OAuth 2.0 [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
    });
    after(() => server.close());

    it('works end to end with the official client: authorize(code), API calls, tokenRefresh(), revokeToken()', async () => {
      const app = await registerApp(server);
      const oauth = oauthClient(server, app);
      // The client's own authorizationUrl, opened by the user: the API token approves it at once.
      const consent = await fetch(oauth.authorizationUrl, { headers: { 'x-api-token': tenant.token }, redirect: 'manual' });
      assert.equal(consent.status, 302);
      const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
      const token = await oauth.authorize(code);
      assert.equal(token.token_type, 'Bearer');
      assert.equal(token.api_domain, server.url);
      assert.equal(token.expires_in, DEFAULT_ACCESS.oauth.accessTokenTtlSeconds);
      assert.deepEqual(token.scope.split(','), app.scopes);
      assert.equal(oauth.basePath, `${server.url}/api/v2`);

      // As the client's README wires it: a Configuration reading the token from the OAuth2Configuration.
      const persons = () => new v2.PersonsApi(new v2.Configuration({ accessToken: oauth.getAccessToken, basePath: oauth.basePath }));
      const { data: created } = await persons().addPerson({ AddPersonRequest: { name: 'Via OAuth' } });
      assert.equal(created!.owner_id, tenant.userId);
      assert.deepEqual((await persons().getPersons()).data!.map((p) => p.name), ['Via OAuth']);
      const v1Oauth = new v1.OAuth2Configuration({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT, host: server.url });
      v1Oauth.updateToken(token);
      assert.equal(v1Oauth.basePath, `${server.url}/api/v1`);
      const users = new v1.UsersApi(new v1.Configuration({ accessToken: v1Oauth.getAccessToken, basePath: v1Oauth.basePath }));
      assert.equal((await users.getCurrentUser()).data!.id, tenant.userId);

      // Refresh rotates both tokens.
      const refreshed = await oauth.tokenRefresh();
      assert.notEqual(refreshed.access_token, token.access_token);
      assert.notEqual(refreshed.refresh_token, token.refresh_token);
      assert.equal(await oauth.getAccessToken(), refreshed.access_token);
      assert.equal((await persons().getPersons()).data!.length, 1);

      await oauth.revokeToken('access_token');
      const revoked = await clientError(persons().getPersons());
      assert.equal(revoked.errorCode, 401);
      // The refresh token survives an access-token revocation; revoking it ends the grant.
      await oauth.tokenRefresh();
      assert.equal((await persons().getPersons()).data!.length, 1);
      await oauth.revokeToken('refresh_token');
      assert.equal((await clientError(persons().getPersons())).errorCode, 401);
      assert.equal((await clientError(oauth.tokenRefresh())).error, 'invalid_grant');
    });

    it('treats a refresh token presented twice as stolen and revokes the grant', async () => {
      const app = await registerApp(server);
      const basic = `${app.clientId}:${app.clientSecret}`;
      const code = await authorizationCode(server, app.clientId, tenant.token);
      const first = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      const second = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, basic);
      assert.equal(second.status, 200);
      const replay = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, basic);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      assert.equal(replay.body.success, false);
      const bearer = (t: string) => new Api(server.url, undefined).get('/v1/users/me', { authorization: `Bearer ${t}` });
      assert.equal((await bearer(second.body.access_token)).status, 401, 'the legitimate holder lost access too');
      assert.equal((await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: second.body.refresh_token }, basic)).status, 400);
    });

    it('refuses bad codes, clients, grant types and redirect URIs with RFC 6749 errors in the envelope', async () => {
      const app = await registerApp(server);
      const other = await registerApp(server);
      const basic = `${app.clientId}:${app.clientSecret}`;
      const code = await authorizationCode(server, app.clientId, tenant.token);

      const wrongSecret = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, `${app.clientId}:nope`);
      assert.equal(wrongSecret.status, 401);
      assert.equal(wrongSecret.body.error, 'invalid_client');
      assert.equal(wrongSecret.body.data, null);
      const otherApp = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, `${other.clientId}:${other.clientSecret}`);
      assert.equal(otherApp.body.error, 'invalid_grant', 'a code is only good for the app it was issued to');
      assert.equal((await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic)).status, 200);
      const used = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic);
      assert.equal(used.body.error, 'invalid_grant', 'a code works once');
      const fresh = await authorizationCode(server, app.clientId, tenant.token);
      assert.equal((await tokenRequest(server, { grant_type: 'authorization_code', code: fresh, redirect_uri: `${REDIRECT}x` }, basic)).body.error, 'invalid_grant');
      assert.equal((await tokenRequest(server, { grant_type: 'password', username: 'a' }, basic)).body.error, 'unsupported_grant_type');
      const twice = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(basic).toString('base64')}` },
        body: 'grant_type=authorization_code&grant_type=refresh_token',
      });
      assert.equal(twice.status, 400);
      assert.equal(((await twice.json()) as any).error, 'invalid_request');

      // An unknown client or a redirect URI other than the registered one is answered here, never redirected.
      for (const query of [`client_id=${app.clientId}&redirect_uri=${encodeURIComponent('https://evil.example.net/cb')}`, `client_id=ffff&redirect_uri=${encodeURIComponent(REDIRECT)}`]) {
        const res = await fetch(`${server.url}/oauth/authorize?${query}`, { headers: { 'x-api-token': tenant.token }, redirect: 'manual' });
        assert.equal(res.status, 400);
        assert.equal(res.headers.get('location'), null);
      }
      // An OAuth access token cannot approve another app: only the user's API token can.
      const tokens = await tokenRequest(server, { grant_type: 'authorization_code', code: await authorizationCode(server, app.clientId, tenant.token), redirect_uri: REDIRECT }, basic);
      const viaOauth = await fetch(`${server.url}/oauth/authorize?client_id=${other.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}`, {
        headers: { authorization: `Bearer ${tokens.body.access_token}` },
        redirect: 'manual',
      });
      assert.equal(viaOauth.status, 401);
    });

    it('offers a consent form when no token comes with the request; deny and allow redirect back with state', async () => {
      const app = await registerApp(server);
      const page = await fetch(`${server.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=a"b`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Test &lt;App&gt;/);
      assert.match(html, /value="a&quot;b"/);
      const answer = (decision: string, apiToken = tenant.token) =>
        fetch(`${server.url}/oauth/authorize`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: app.clientId, redirect_uri: REDIRECT, state: 's1', api_token: apiToken, decision }).toString(),
        });
      const denied = new URL((await answer('deny')).headers.get('location')!);
      assert.equal(denied.searchParams.get('error'), 'access_denied');
      assert.equal(denied.searchParams.get('state'), 's1');
      const allowed = await answer('allow');
      assert.equal(allowed.status, 302);
      assert.ok(new URL(allowed.headers.get('location')!).searchParams.get('code'));
      assert.equal((await answer('allow', 'f'.repeat(40))).status, 401);
    });

    it('enforces the scopes each route lists in the spec, with 403 "Scope and URL mismatch"; API tokens keep full access', async () => {
      const app = await registerApp(server, 'contacts:read');
      const code = await authorizationCode(server, app.clientId, tenant.token);
      const tokens = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, `${app.clientId}:${app.clientSecret}`);
      assert.equal(tokens.body.scope, 'base,contacts:read');
      const bearer = { authorization: `Bearer ${tokens.body.access_token}` };
      const api = new Api(server.url, undefined);
      assert.equal((await api.get('/api/v2/persons', bearer)).status, 200);
      assert.equal((await api.get('/v1/users/me', bearer)).status, 200, 'base is part of every grant');
      for (const [method, path] of [
        ['POST', '/api/v2/persons'],
        ['GET', '/v1/users'],
        ['POST', '/v1/users'],
      ] as const) {
        const res = await api.request(method, path, method === 'POST' ? {} : undefined, bearer);
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(res.body.error, 'Scope and URL mismatch');
        assert.equal(res.body.errorCode, 403);
        assert.equal(res.body.data, null);
      }
      assert.equal((await tenant.api.get('/v1/users')).status, 200);
    });

    it('stores only hashes of tokens, and an expired access token is refused', async () => {
      const short = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, oauth: { ...DEFAULT_ACCESS.oauth, accessTokenTtlSeconds: 1 } } });
      // The token's second of life passes on personsd's clock, not the machine's: a busy machine cannot age it early.
      freezeClock(Date.now());
      try {
        const owner = await newTenant(short);
        const app = await registerApp(short);
        const code = await authorizationCode(short, app.clientId, owner.token);
        const tokens = await tokenRequest(short, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, `${app.clientId}:${app.clientSecret}`);
        const stored = await short.store.db.selectFrom('oauth_tokens').select('token_hash').execute();
        assert.ok(stored.some((row) => row.token_hash === hashSecret(tokens.body.access_token)));
        assert.ok(!stored.some((row) => [tokens.body.access_token, tokens.body.refresh_token].includes(row.token_hash)));
        const me = () => new Api(short.url, undefined).get('/v1/users/me', { authorization: `Bearer ${tokens.body.access_token}` });
        assert.equal((await me()).status, 200);
        advanceClock(2100);
        assert.equal((await me()).status, 401);
      } finally {
        resetClock();
        await short.close();
      }
    });

    it('registers apps from the command line, printing the client credentials once', async () => {
      const bin = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));
      const child = spawn(process.execPath, [bin, 'app', 'create', '--name', 'CLI app', '--redirect-uri', REDIRECT, '--scopes', 'contacts:read,search:read'], {
        env: { ...process.env, DATABASE_URL: databaseUrlOf(server.config.database), LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      const code = await new Promise((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      const clientId = /^client_id=([0-9a-f]{20})$/m.exec(stdout)?.[1];
      const clientSecret = /^client_secret=([0-9a-f]{40})$/m.exec(stdout)?.[1];
      assert.ok(clientId && clientSecret, stdout);
      const authCode = await authorizationCode(server, clientId, tenant.token);
      const tokens = await tokenRequest(server, { grant_type: 'authorization_code', code: authCode, redirect_uri: REDIRECT }, `${clientId}:${clientSecret}`);
      assert.equal(tokens.body.scope, 'base,contacts:read,search:read');
    });
  });
}
