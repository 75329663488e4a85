import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type AccessConfig, DEFAULT_ACCESS, type RateLimitConfig } from '../../src/http/access-settings.ts';
import { Redis } from 'ioredis';
import { oauthHeaders } from '../helpers/access-matrix.ts';
import { databaseUrlOf, startChildServer } from '../helpers/child-server.ts';
import { Api, type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const REDIS_URL = process.env.PERSONSD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function access(rateLimit: Partial<RateLimitConfig>, extra: Partial<AccessConfig> = {}): AccessConfig {
  return { ...DEFAULT_ACCESS, ...extra, rateLimit: { ...DEFAULT_ACCESS.rateLimit, enabled: true, ...rateLimit } };
}

const header = (res: ApiResponse, name: string) => {
  const value = res.headers.get(name);
  assert.ok(value !== null, `header ${name} is missing`);
  return Number(value);
};

function assert429(res: ApiResponse): void {
  assert.equal(res.status, 429);
  assert.equal(res.body.success, false);
  assert.equal(typeof res.body.error, 'string');
  assert.equal(typeof res.body.error_info, 'string');
  assert.equal(res.body.data, null);
  assert.equal(res.body.additional_data, null);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of testBackends()) {
  describe(`rate limits [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend, { access: access({ burst: 4, oauthBurst: 6, searchBurst: 2, dailyTokensPerSeat: 1000, multiplier: 3 }) });
    });
    after(() => server.close());

    it('reports the window and the daily budget in the headers, spending each operation\'s token cost', async () => {
      // The four requests must fit in the 2 s burst window; on a machine too busy for that the window's count tells
      // nothing, so the attempt is made again with a new tenant (fresh counters), as the two-process test below does.
      for (let attempt = 1; ; attempt++) {
        const { api } = await newTenant(server);
        const started = Date.now();
        const created = await api.post('/api/v2/persons', { name: 'Costly' });
        const one = await api.get(`/api/v2/persons/${created.body.data.id}`);
        const list = await api.get('/api/v2/persons');
        const me = await api.get('/v1/users/me');
        const elapsed = Date.now() - started;
        if (elapsed > 1500 && attempt < 5) continue;
        assert.ok(elapsed <= 2000, `four requests took ${elapsed} ms, longer than the 2 s window, in each of ${attempt} attempts`);
        assert.equal(created.status, 200);
        assert.equal(header(created, 'x-ratelimit-limit'), 4);
        assert.equal(header(created, 'x-ratelimit-remaining'), 3);
        assert.ok([1, 2].includes(header(created, 'x-ratelimit-reset')), 'reset is seconds left in the 2 s window');
        // One seat (the admin) × 1000 tokens × multiplier 3.
        assert.equal(header(created, 'x-daily-ratelimit-token-limit'), 3000);
        assert.equal(header(created, 'x-daily-ratelimit-token-remaining'), 3000 - 5);
        assert.equal(header(one, 'x-daily-ratelimit-token-remaining'), 3000 - 5 - 1);
        assert.equal(header(list, 'x-daily-ratelimit-token-remaining'), 3000 - 5 - 1 - 10);
        assert.equal(header(me, 'x-daily-ratelimit-token-remaining'), 3000 - 5 - 1 - 10 - 2);
        assert.equal(header(me, 'x-ratelimit-remaining'), 0);
        return;
      }
    });

    it('refuses the request over the burst window with a 429, Retry-After and the envelope, then lets it through', async () => {
      const { api, addUser } = await newTenant(server);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await api.get('/v1/users/me')).status);
      assert.deepEqual(statuses, [200, 200, 200, 200]);
      const refused = await api.get('/v1/users/me');
      assert429(refused);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
      assert.equal(header(refused, 'x-ratelimit-remaining'), 0);
      // The refused request spent nothing from the budget.
      assert.equal(header(refused, 'x-daily-ratelimit-token-remaining'), 3000 - 4 * 2);
      // The window is per token: another user's token of the same company is not held back.
      const other = await addUser();
      assert.equal((await other.api.get('/v1/users/me')).status, 200);
      await sleep(retryAfter * 1000 + 50);
      assert.equal((await api.get('/v1/users/me')).status, 200);
    });

    it('gives search routes their own smaller window, costing 20 tokens each', async () => {
      const { api } = await newTenant(server);
      const first = await api.get('/api/v2/persons/search?term=ab');
      assert.equal(first.status, 200);
      assert.equal(header(first, 'x-ratelimit-limit'), 2);
      assert.equal(header(first, 'x-daily-ratelimit-token-remaining'), 3000 - 20);
      assert.equal((await api.get('/v1/itemSearch?term=ab')).status, 200);
      assert429(await api.get('/api/v2/persons/search?term=ab'));
      // The general window of the same token is untouched by searches.
      const other = await api.get('/v1/users/me');
      assert.equal(other.status, 200);
      assert.equal(header(other, 'x-ratelimit-remaining'), 3);
    });

    it('gives OAuth access tokens their own, larger window', async () => {
      const { token } = await newTenant(server);
      const bearer = await oauthHeaders(server, token, 'contacts:read');
      const res = await new Api(server.url, undefined).get('/v1/users/me', bearer);
      assert.equal(res.status, 200);
      assert.equal(header(res, 'x-ratelimit-limit'), 6);
      assert.equal(header(res, 'x-ratelimit-remaining'), 5);
    });

    it('leaves routes outside the API (health, docs) unlimited', async () => {
      const anonymous = new Api(server.url, undefined);
      for (let i = 0; i < 6; i++) assert.equal((await anonymous.get('/health')).status, 200);
      assert.equal((await anonymous.get('/health')).headers.get('x-ratelimit-limit'), null);
    });
  });

  describe(`daily budget [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend, { access: access({ burst: 1000, dailyTokensPerSeat: 25, multiplier: 1 }) });
    });
    after(() => server.close());

    it('refuses what the company\'s remaining budget cannot pay for until 00:00 UTC, per company', async () => {
      const { api } = await newTenant(server);
      assert.equal((await api.get('/api/v2/persons')).status, 200); // 10
      const second = await api.get('/api/v2/persons'); // 20
      assert.equal(header(second, 'x-daily-ratelimit-token-remaining'), 5);
      const refused = await api.get('/api/v2/persons'); // would be 30 > 25
      assert429(refused);
      const untilMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(Math.abs(retryAfter - untilMidnight) <= 2, `Retry-After ${retryAfter}, ${untilMidnight} s to midnight`);
      assert.equal(header(refused, 'x-daily-ratelimit-token-remaining'), 5);
      // A cheaper operation still fits in what is left.
      const me = await api.get('/v1/users/me');
      assert.equal(me.status, 200);
      assert.equal(header(me, 'x-daily-ratelimit-token-remaining'), 3);
      // The budget is the company's: another company is untouched.
      const other = await newTenant(server);
      assert.equal((await other.api.get('/api/v2/persons')).status, 200);
    });
  });

  describe(`failed-token throttle [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, authFailuresPerMinute: 3 } });
    });
    after(() => server.close());

    it('answers 429 to an address after too many unknown tokens, even for a valid token, without counting missing tokens', async () => {
      const { token } = await newTenant(server);
      const anonymous = new Api(server.url, undefined);
      for (let i = 0; i < 5; i++) assert.equal((await anonymous.get('/api/v2/persons')).status, 401, 'no token is no guess');
      for (let i = 0; i < 3; i++) {
        assert.equal((await anonymous.get('/api/v2/persons', { 'x-api-token': randomBytes(20).toString('hex') })).status, 401);
      }
      const fourth = await anonymous.get('/api/v2/persons', { 'x-api-token': randomBytes(20).toString('hex') });
      assert429(fourth);
      assert.ok(Number(fourth.headers.get('retry-after')) > 50);
      assert.equal((await anonymous.get('/api/v2/persons', { 'x-api-token': token })).status, 429);
      // Rate limits are off on this server: no rate-limit headers.
      assert.equal(fourth.headers.get('x-ratelimit-limit'), null);
    });
  });

  describe(`failed-token throttle behind a trusted proxy [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, authFailuresPerMinute: 2, trustProxy: true } });
    });
    after(() => server.close());

    it('counts failures per forwarded client address, so one client behind the proxy does not block the others', async () => {
      const { token } = await newTenant(server);
      const anonymous = new Api(server.url, undefined);
      const from = (address: string, apiToken: string) => anonymous.get('/v1/users/me', { 'x-api-token': apiToken, 'x-forwarded-for': address });
      for (let i = 0; i < 2; i++) assert.equal((await from('198.51.100.7', randomBytes(20).toString('hex'))).status, 401);
      assert.equal((await from('198.51.100.7', randomBytes(20).toString('hex'))).status, 429);
      assert.equal((await from('198.51.100.7', token)).status, 429);
      assert.equal((await from('198.51.100.8', token)).status, 200);
    });
  });

  describe(`counters in Redis shared by two processes [${backend.name}]`, () => {
    let server: TestServer;
    let child: Awaited<ReturnType<typeof startChildServer>>;
    const prefix = `personsd-test:${randomBytes(6).toString('hex')}:`;
    before(async () => {
      const shared = { redisUrl: REDIS_URL, redisKeyPrefix: prefix };
      server = await startTestServer(backend, { access: access({ burst: 5, dailyTokensPerSeat: 100, multiplier: 1 }, shared) });
      child = await startChildServer({
        DATABASE_URL: databaseUrlOf(server.config.database),
        RATE_LIMIT: 'on',
        RATE_LIMIT_BURST: '5',
        RATE_LIMIT_DAILY_TOKENS: '100',
        RATE_LIMIT_MULTIPLIER: '1',
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
      });
    });
    after(async () => {
      await child?.stop();
      await server?.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('counts one token\'s window and one company\'s budget across both processes', async () => {
      // The burst window slides over 2 s: the seven requests must fit in it. On a machine too busy for that, the
      // attempt tells nothing about the counters, so it is made again with a new tenant (fresh counters).
      for (let attempt = 1; ; attempt++) {
        const { token } = await newTenant(server);
        const here = new Api(server.url, token);
        const there = new Api(child.url, token);
        const started = Date.now();
        const results = [];
        for (let i = 0; i < 5; i++) results.push(await (i % 2 === 0 ? here : there).get('/v1/users/me'));
        const refused = [await there.get('/v1/users/me'), await here.get('/v1/users/me')];
        const elapsed = Date.now() - started;
        if (elapsed > 1500 && attempt < 5) continue;
        assert.ok(elapsed <= 2000, `seven requests took ${elapsed} ms, longer than the 2 s window, in each of ${attempt} attempts`);
        assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
        assert.deepEqual(results.map((r) => header(r, 'x-ratelimit-remaining')), [4, 3, 2, 1, 0]);
        assert.deepEqual(results.map((r) => header(r, 'x-daily-ratelimit-token-remaining')), [98, 96, 94, 92, 90]);
        for (const res of refused) assert429(res);
        return;
      }
    });

    it('refuses to start when REDIS_URL cannot be reached', async () => {
      await assert.rejects(
        startChildServer({ DATABASE_URL: databaseUrlOf(server.config.database), RATE_LIMIT: 'on', REDIS_URL: 'redis://127.0.0.1:1' }),
        /cannot reach Redis/,
      );
    });
  });
}
