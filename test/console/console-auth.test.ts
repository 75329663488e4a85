import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OAuthService } from '../../src/domain/access/oauth.service.ts';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const PASSWORD = 'long enough secret';

for (const backend of testBackends()) {
  describe(`web console: files and sign-in [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      // An https public URL (cookies get Secure); proxies trusted so each test throttles an address of its own.
      server = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, publicUrl: 'https://contacts.example.com', trustProxy: true, authFailuresPerMinute: 3 } });
    });
    after(() => server.close());

    let address = 0;
    const from = () => ({ 'x-forwarded-for': `10.20.0.${++address}` });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0];

    it('serves the built console at / with content types and caching, client routes as index.html, API paths as JSON 404s', async () => {
      const index = await fetch(server.url + '/');
      assert.equal(index.status, 200);
      assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(index.headers.get('cache-control'), 'no-cache');
      assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const html = await index.text();
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      assert.ok(script, html);
      const asset = await fetch(server.url + script);
      assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal((await fetch(server.url + script, { headers: { 'if-none-match': asset.headers.get('etag')! } })).status, 304);
      const clientRoute = await fetch(server.url + '/persons/12', { headers: { accept: 'text/html' } });
      assert.equal(clientRoute.status, 200);
      assert.equal(await clientRoute.text(), html);
      // API paths stay the API's JSON 404 even for a browser; a missing file, or a request not asking for a page, too.
      for (const [path, accept] of [['/api/v2/nothing', 'text/html'], ['/v1/nothing', 'text/html'], ['/assets/gone-1234.js', 'text/html'], ['/persons/12', '*/*']]) {
        const res = await fetch(server.url + path, { headers: { accept } });
        assert.equal(res.status, 404, path);
        assert.match((await res.json()).error, /^Unknown route/, path);
      }
    });

    it('admins invite users by link (POST /v1/users/{id}/invite); sign-ins set last_login; a user issues a new API token for itself', async () => {
      const tenant = await newTenant(server);
      const invitee = await tenant.addUser();
      const regular = await tenant.addUser();
      const invited = await tenant.api.post(`/v1/users/${invitee.userId}/invite`);
      assert.equal(invited.status, 200, JSON.stringify(invited.body));
      const url = new URL(invited.body.data.url);
      assert.equal(url.origin, 'https://contacts.example.com', 'the link uses PUBLIC_URL');
      const secret = url.pathname.replace('/invite/', '');
      assert.equal((await fetch(`${server.url}/console/api/invites/${secret}`, { headers: from() })).status, 200);
      assert.equal((await regular.api.post(`/v1/users/${invitee.userId}/invite`)).status, 403, 'admins only');
      assert.equal((await tenant.api.post('/v1/users/987654/invite')).status, 404);
      assert.equal((await tenant.api.put(`/v1/users/${regular.userId}`, { active_flag: false })).status, 200);
      assert.match((await tenant.api.post(`/v1/users/${regular.userId}/invite`)).body.error, /deactivated/);
      const stranger = await newTenant(server);
      assert.equal((await stranger.api.post(`/v1/users/${invitee.userId}/invite`)).status, 404, "another company's user");

      // An invite made before its user was deactivated is dead until they are active again.
      const later = await tenant.addUser();
      const laterSecret = new URL((await tenant.api.post(`/v1/users/${later.userId}/invite`)).body.data.url).pathname.replace('/invite/', '');
      assert.equal((await tenant.api.put(`/v1/users/${later.userId}`, { active_flag: false })).status, 200);
      assert.equal((await fetch(`${server.url}/console/api/invites/${laterSecret}`, { headers: from() })).status, 404);
      assert.equal((await post(`/console/api/invites/${laterSecret}`, { password: PASSWORD }, from())).status, 400);
      assert.equal((await tenant.api.put(`/v1/users/${later.userId}`, { active_flag: true })).status, 200);
      assert.equal((await fetch(`${server.url}/console/api/invites/${laterSecret}`, { headers: from() })).status, 200);

      assert.equal((await tenant.api.get(`/v1/users/${invitee.userId}`)).body.data.last_login, null);
      const accepted = await post(`/console/api/invites/${secret}`, { password: PASSWORD }, from());
      assert.equal(accepted.status, 200);
      assert.match((await tenant.api.get(`/v1/users/${invitee.userId}`)).body.data.last_login, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

      const cookie = { cookie: cookieOf(accepted) };
      const { csrf_token } = (await accepted.json()).data;
      assert.equal((await post('/console/api/token', {}, cookie)).status, 403, 'the CSRF token is needed');
      const issued = await post('/console/api/token', {}, { ...cookie, 'x-csrf-token': csrf_token });
      assert.equal(issued.status, 200);
      const token = (await issued.json()).data.api_token;
      assert.match(token, /^[0-9a-f]{40}$/);
      assert.equal((await fetch(`${server.url}/v1/users/me`, { headers: { 'x-api-token': token } })).status, 200);
      assert.equal((await fetch(`${server.url}/v1/users/me`, { headers: { 'x-api-token': invitee.token } })).status, 401, 'the old token stops working');
      assert.equal((await post('/console/api/token', {}, from())).status, 401);
    });

    it('a session acts as its user (visibility included); cookie writes need the CSRF token; sign-out and a new password end it', async () => {
      const tenant = await newTenant(server);
      const user = await tenant.addUser();
      await server.services.consoleAuth.setPassword(tenant.companyId, user.userId, PASSWORD);
      const email = (await tenant.api.get(`/v1/users/${user.userId}`)).body.data.email;
      const hidden = (await tenant.api.post('/api/v2/persons', { name: 'Hidden', visible_to: 1 })).body.data;
      const shown = (await tenant.api.post('/api/v2/persons', { name: 'Shown', visible_to: 7 })).body.data;
      const headers = from();

      assert.equal((await post('/console/api/sign-in', { email, password: 'wrong password' }, headers)).status, 401);
      const signIn = await post('/console/api/sign-in', { email: email.toUpperCase(), password: PASSWORD }, headers);
      assert.equal(signIn.status, 200);
      assert.match(signIn.headers.get('set-cookie') ?? '', /^personsd_session=[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
      const { data } = await signIn.json();
      assert.equal(data.user.id, user.userId);
      assert.equal(data.admin_api, false, 'no admin API on this server: the console shows no Developer tab');
      const cookie = { cookie: cookieOf(signIn) };

      const list = await (await fetch(server.url + '/api/v2/persons', { headers: cookie })).json();
      assert.deepEqual(list.data.map((p: { id: number }) => p.id), [shown.id]);
      assert.equal((await fetch(`${server.url}/api/v2/persons/${hidden.id}`, { headers: cookie })).status, 404);
      assert.equal((await (await fetch(server.url + '/console/api/session', { headers: cookie })).json()).data.csrf_token, data.csrf_token);

      const refused = await post('/api/v2/persons', { name: 'Forged' }, cookie);
      assert.equal(refused.status, 403);
      assert.match((await refused.json()).error, /CSRF/);
      assert.equal((await post('/api/v2/persons', { name: 'Forged' }, { ...cookie, 'x-csrf-token': 'x'.repeat(32) })).status, 403);
      const created = await post('/api/v2/persons', { name: 'Made in the console' }, { ...cookie, 'x-csrf-token': data.csrf_token });
      assert.equal(created.status, 200);
      assert.equal((await created.json()).data.owner_id, user.userId);
      // A token in the request wins over the cookie: no CSRF token needed, the token's user acts.
      const byToken = await post('/api/v2/persons', { name: 'By token' }, { ...cookie, 'x-api-token': tenant.token });
      assert.equal((await byToken.json()).data.owner_id, tenant.userId);

      assert.equal((await post('/console/api/sign-out', {}, cookie)).status, 403);
      const out = await post('/console/api/sign-out', {}, { ...cookie, 'x-csrf-token': data.csrf_token });
      assert.match(out.headers.get('set-cookie') ?? '', /^personsd_session=; Path=\/; Max-Age=0/);
      assert.equal((await fetch(server.url + '/api/v2/persons', { headers: cookie })).status, 401);

      const again = { cookie: cookieOf(await post('/console/api/sign-in', { email, password: PASSWORD }, headers)) };
      assert.equal((await fetch(server.url + '/api/v2/persons', { headers: again })).status, 200);
      await server.services.consoleAuth.setPassword(tenant.companyId, user.userId, 'another long secret');
      assert.equal((await fetch(server.url + '/api/v2/persons', { headers: again })).status, 401);

      // Deactivation ends the session for good: reactivating the user does not bring it back.
      // From an address of its own: the ended session's 401s count towards that address's throttle.
      const third = { ...from(), cookie: cookieOf(await post('/console/api/sign-in', { email, password: 'another long secret' }, headers)) };
      assert.equal((await fetch(server.url + '/api/v2/persons', { headers: third })).status, 200);
      assert.equal((await tenant.api.put(`/v1/users/${user.userId}`, { active_flag: false })).status, 200);
      assert.equal((await fetch(server.url + '/api/v2/persons', { headers: third })).status, 401);
      assert.equal((await tenant.api.put(`/v1/users/${user.userId}`, { active_flag: true })).status, 200);
      assert.equal((await fetch(server.url + '/api/v2/persons', { headers: third })).status, 401, 'the session stays ended');
      assert.equal((await fetch(`${server.url}/v1/users/me`, { headers: { 'x-api-token': user.token } })).status, 200, 'the API token works again');
      assert.equal((await post('/console/api/sign-in', { email, password: 'another long secret' }, headers)).status, 200, 'signing in again works');
    });

    it('throttles wrong passwords like unknown tokens, and an invite link sets a password once', async () => {
      const tenant = await newTenant(server);
      const admin = (await tenant.api.get(`/v1/users/${tenant.userId}`)).body.data.email;
      await server.services.consoleAuth.setPassword(tenant.companyId, tenant.userId, PASSWORD);
      const headers = from();
      for (let i = 0; i < 3; i++) assert.equal((await post('/console/api/sign-in', { email: admin, password: `guess ${i}` }, headers)).status, 401);
      assert.equal((await post('/console/api/sign-in', { email: admin, password: 'guess 4' }, headers)).status, 429);
      const blocked = await post('/console/api/sign-in', { email: admin, password: PASSWORD }, headers);
      assert.equal(blocked.status, 429, 'a blocked address cannot tell a right password from a wrong one');
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      assert.equal((await post('/console/api/sign-in', { email: admin, password: PASSWORD }, from())).status, 200);

      const user = await tenant.addUser();
      const secret = await server.services.consoleAuth.createInvite(tenant.companyId, user.userId);
      const invite = await (await fetch(`${server.url}/console/api/invites/${secret}`)).json();
      assert.match(invite.data.email, /^user-/);
      assert.equal((await post(`/console/api/invites/${secret}`, { password: 'short' }, from())).status, 400);
      const accepted = await post(`/console/api/invites/${secret}`, { password: PASSWORD }, from());
      assert.equal(accepted.status, 200);
      assert.equal((await accepted.json()).data.user.id, user.userId);
      assert.equal((await post(`/console/api/invites/${secret}`, { password: PASSWORD }, from())).status, 400, 'an invite works once');
      assert.equal((await fetch(`${server.url}/console/api/invites/${secret}`)).status, 404);

      // The OAuth consent page: signed out, it sends the user to the console's sign-in (which comes back); signed
      // in, one click approves as the session's user, with the session's CSRF token in the form.
      const redirect = 'https://app.example.com/callback';
      const oauthApp = await new OAuthService(server.store.db, DEFAULT_ACCESS.oauth).registerApp({ name: 'Console test', redirectUri: redirect });
      const authorize = `/oauth/authorize?client_id=${oauthApp.clientId}&redirect_uri=${encodeURIComponent(redirect)}&state=s9`;
      const signedOut = await (await fetch(server.url + authorize)).text();
      assert.ok(signedOut.includes(`href="/?next=${encodeURIComponent(authorize)}"`), signedOut);
      const cookie = cookieOf(accepted);
      const page = await (await fetch(server.url + authorize, { headers: { cookie } })).text();
      assert.match(page, /Signed in as User /);
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(csrf, page);
      const answer = (token: string) =>
        fetch(`${server.url}/oauth/authorize`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: oauthApp.clientId, redirect_uri: redirect, state: 's9', csrf_token: token, decision: 'allow' }).toString(),
        });
      assert.equal((await answer('forged'.repeat(6))).status, 401, 'a form without the session CSRF token approves nothing');
      const approved = await answer(csrf);
      assert.equal(approved.status, 302);
      const code = new URL(approved.headers.get('location')!).searchParams.get('code');
      assert.ok(code);
      const issued = await server.store.db.selectFrom('oauth_codes').select('user_id').where('company_id', '=', tenant.companyId).executeTakeFirstOrThrow();
      assert.equal(issued.user_id, user.userId, 'the code is the session user’s');
    });
  });
}
