import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS, DEFAULT_RATE_LIMIT } from '../../src/http/access-settings.ts';
import { type Api, type ApiResponse, type TestServer, newTenant, testBackends } from '../helpers/server.ts';
import { startAdminServer } from './admin-server.ts';

/** 30,000 tokens per seat × growth's multiplier 2. */
const PER_SEAT = DEFAULT_RATE_LIMIT.dailyTokensPerSeat * DEFAULT_RATE_LIMIT.multiplier;

function assertDailyRefusal(response: ApiResponse, retryAfter: number, seats: number): void {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  assert.equal(response.body.success, false);
  assert.equal(response.body.error, 'Daily API token budget exceeded');
  assert.equal(response.body.code, 'daily_limit');
  assert.equal(response.headers.get('x-daily-ratelimit-token-remaining'), '0');
  assert.equal(response.headers.get('x-daily-ratelimit-token-limit'), String(PER_SEAT * seats));
  assert.equal(response.headers.get('retry-after'), String(retryAfter));
}

for (const backend of testBackends()) {
  describe(`admin API: daily budget faults [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    let limited: TestServer;
    let limitedAdmin: Api;
    before(async () => {
      ({ server, admin } = await startAdminServer(backend));
      ({ server: limited, admin: limitedAdmin } = await startAdminServer(backend, { access: { ...DEFAULT_ACCESS, rateLimit: { ...DEFAULT_RATE_LIMIT, enabled: true } } }));
    });
    after(async () => {
      await admin.delete('/_personsd/clock');
      await server.close();
      await limited.close();
    });

    it("spends one token's budget until midnight UTC with rate limits off: every request of that token is a 429, other tokens go on", async () => {
      await admin.delete('/_personsd/faults');
      await admin.put('/_personsd/clock', { frozen_at: '2031-05-06T22:30:00Z' });
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const added = await admin.post('/_personsd/faults', { type: 'daily_budget_exhausted', token: tenant.token });
      assert.equal(added.status, 201, JSON.stringify(added.body));

      assertDailyRefusal(await tenant.api.get('/api/v2/persons'), 5400, 2);
      assertDailyRefusal(await tenant.api.get('/v1/users/me'), 5400, 2);
      assertDailyRefusal(await tenant.api.post('/api/v2/persons', { name: 'Refused' }), 5400, 2);
      const others = await colleague.api.get('/api/v2/persons');
      assert.equal(others.status, 200, "the company's other token is not the one spent");
      assert.deepEqual(others.body.data, [], 'the refused write did not happen');

      await admin.put('/_personsd/clock', { advance_by_seconds: 5399 });
      assertDailyRefusal(await tenant.api.get('/api/v2/persons'), 1, 2);
      const listed = (await admin.get('/_personsd/faults')).body.data;
      assert.deepEqual(listed, [{ id: added.body.data.ids[0], type: 'daily_budget_exhausted', token_kind: 'api_token', token_id: listed[0].token_id, until: '2031-05-07T00:00:00.000Z', active: true, fired: 4 }]);

      await admin.put('/_personsd/clock', { advance_by_seconds: 1 });
      assert.equal((await tenant.api.get('/api/v2/persons')).status, 200, 'the next UTC day has a new budget');
      assert.equal((await admin.get('/_personsd/faults')).body.data[0].active, false);
    });

    it("spends a company's budget with rate limits on: refused requests count against nothing, DELETE lifts it, and so does the next midnight", async () => {
      await limitedAdmin.delete('/_personsd/faults');
      await limitedAdmin.put('/_personsd/clock', { frozen_at: '2031-06-01T12:00:00Z' });
      const tenant = await newTenant(limited);
      const colleague = await tenant.addUser();
      const stranger = await newTenant(limited);
      const before = await tenant.api.get('/api/v2/persons');
      assert.equal(before.status, 200);
      const remaining = Number(before.headers.get('x-daily-ratelimit-token-remaining'));
      const cost = PER_SEAT * 2 - remaining;
      assert.ok(cost > 0 && remaining > 0);

      assert.equal((await limitedAdmin.post('/_personsd/faults', { type: 'daily_budget_exhausted', company_id: tenant.companyId })).status, 201);
      for (const api of [tenant.api, colleague.api, tenant.api]) assertDailyRefusal(await api.get('/api/v2/persons'), 12 * 3600, 2);
      const unaffected = await stranger.api.get('/api/v2/persons');
      assert.equal(unaffected.status, 200);
      assert.equal(unaffected.headers.get('x-daily-ratelimit-token-remaining'), String(PER_SEAT - cost));

      assert.equal((await limitedAdmin.delete('/_personsd/faults')).status, 200);
      const lifted = await tenant.api.get('/api/v2/persons');
      assert.equal(lifted.status, 200);
      assert.equal(lifted.headers.get('x-daily-ratelimit-token-remaining'), String(remaining - cost), 'only the allowed requests were counted');

      await limitedAdmin.post('/_personsd/faults', { type: 'daily_budget_exhausted', company_id: tenant.companyId });
      assertDailyRefusal(await colleague.api.get('/v1/users/me'), 12 * 3600, 2);
      await limitedAdmin.put('/_personsd/clock', { advance_by_seconds: 12 * 3600 });
      const nextDay = await colleague.api.get('/api/v2/persons');
      assert.equal(nextDay.status, 200);
      assert.equal(nextDay.headers.get('x-daily-ratelimit-token-remaining'), String(PER_SEAT * 2 - cost), 'a new day, a full budget');
    });

    it('refuses a budget rule that names no company or token, both, or ones that do not exist', async () => {
      const tenant = await newTenant(server);
      for (const body of [
        { type: 'daily_budget_exhausted' },
        { type: 'daily_budget_exhausted', company_id: tenant.companyId, token: tenant.token },
        { type: 'daily_budget_exhausted', token: 'not-a-token' },
        { type: 'daily_budget_exhausted', company_id: 987_654_321 },
        { type: 'daily_budget_exhausted', company_id: tenant.companyId, path: '/api/v2/persons' },
      ]) {
        const res = await admin.post('/_personsd/faults', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.success, false);
      }
      await admin.delete('/_personsd/faults');
      const rejected = await admin.post('/_personsd/faults', [{ type: 'daily_budget_exhausted', company_id: tenant.companyId }, { type: 'daily_budget_exhausted' }]);
      assert.equal(rejected.status, 400);
      assert.deepEqual((await admin.get('/_personsd/faults')).body.data, [], 'a list with one bad rule adds none');
      assert.equal((await tenant.api.get('/api/v2/persons')).status, 200);
    });
  });
}
