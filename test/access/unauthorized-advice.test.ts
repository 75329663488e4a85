import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { OAuthService, hashSecret } from '../../src/domain/access/oauth.service.ts';
import { issueToken } from '../../src/domain/users/tokens.ts';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const REDIRECT = 'https://integration.example.com/oauth/callback';

for (const backend of testBackends()) {
  describe(`401s name the credential and what to do [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
    });
    after(() => server.close());

    const refused = async (headers: Record<string, string>, path = '/api/v2/persons') => {
      const response = await fetch(server.url + path, { headers });
      const body = (await response.json()) as any;
      assert.equal(response.status, 401);
      assert.equal(body.error, 'unauthorized access');
      assert.equal(body.errorCode, 401);
      for (const value of Object.values(headers)) assert.ok(!body.error_info.includes(value.replace(/^Bearer /, '')), 'the token is not echoed');
      return { info: body.error_info as string, challenge: response.headers.get('www-authenticate') };
    };

    /** An app authorized by the tenant's admin: a fresh access and refresh token. */
    async function oauthTokens() {
      const app = await new OAuthService(server.store.db, DEFAULT_ACCESS.oauth).registerApp({ name: 'Advice', redirectUri: REDIRECT });
      const consent = await fetch(`${server.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}`, {
        headers: { 'x-api-token': tenant.token },
        redirect: 'manual',
      });
      const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
      const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
      const form = (path: string, body: Record<string, string>) =>
        fetch(server.url + path, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
      const tokens = (await (await form('/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).json()) as any;
      assert.ok(tokens.access_token);
      return { access: tokens.access_token as string, refresh: tokens.refresh_token as string, revoke: (token: string) => form('/oauth/revoke', { token }) };
    }

    it('tells a request without any credential where one goes', async () => {
      const { info } = await refused({});
      assert.match(info, /^No credential was sent\. Send an API token in the x-api-token header .*Authorization: Bearer/);
    });

    it('says an API token is unknown (mistyped or replaced) and how to get one, wherever it was sent', async () => {
      const { token, userId } = await tenant.addUser();
      const { companyId } = tenant;
      await server.store.db.transaction().execute((trx) => issueToken(trx, companyId, userId));
      for (const headers of [{ 'x-api-token': token } as Record<string, string>, { authorization: `Bearer ${token}` }, { 'x-api-token': 'mistyped-token-0000' }]) {
        const { info, challenge } = await refused(headers);
        assert.match(info, /^The API token is not known: it is mistyped, or was replaced by a newer token .*personsd token create/);
        assert.equal(challenge, null);
      }
      assert.match((await refused({}, `/v1/users/me?api_token=${token}`)).info, /^The API token is not known/);
    });

    it('says an API token\'s user is deactivated', async () => {
      const { token, userId } = await tenant.addUser();
      await sql`update users set active_flag = 0 where id = ${userId}`.execute(server.store.db);
      assert.match((await refused({ 'x-api-token': token })).info, /^The API token belongs to a deactivated user/);
    });

    it('tells an OAuth client its access token expired, and to refresh it', async () => {
      const { access } = await oauthTokens();
      assert.equal((await fetch(`${server.url}/api/v2/persons`, { headers: { authorization: `Bearer ${access}` } })).status, 200);
      await sql`update oauth_tokens set expires_time = ${'2000-01-01 00:00:00'} where token_hash = ${hashSecret(access)}`.execute(server.store.db);
      const { info, challenge } = await refused({ authorization: `Bearer ${access}` });
      assert.match(info, /^The OAuth access token has expired\. Get a new one with the refresh token: POST \/oauth\/token with grant_type=refresh_token/);
      assert.equal(challenge, 'Bearer error="invalid_token", error_description="The access token expired"');
    });

    it('tells an OAuth client its grant was revoked, or its token is unknown (revoked alone or never issued)', async () => {
      const grant = await oauthTokens();
      assert.equal((await grant.revoke(grant.refresh)).status, 200);
      const revoked = await refused({ authorization: `Bearer ${grant.access}` });
      assert.match(revoked.info, /^The OAuth access token was revoked with its grant\. The user must authorize the app again/);
      assert.equal(revoked.challenge, 'Bearer error="invalid_token"');

      const single = await oauthTokens();
      assert.equal((await single.revoke(single.access)).status, 200);
      assert.match((await refused({ authorization: `Bearer ${single.access}` })).info, /^The OAuth access token is not known: it was revoked, or not issued by this server/);
      assert.match((await refused({ authorization: `Bearer ${single.access.slice(0, -4)}zzzz` })).info, /^The OAuth access token is not known/);
    });
  });
}
