import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { WEBHOOK_DEFAULTS } from '../../src/domain/webhooks/webhook-delivery-settings.ts';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { Receiver } from '../helpers/webhooks.ts';

/** One sample's value from the exposition text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

async function scrape(server: TestServer, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function eventually(check: () => Promise<boolean>, what: string) {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const backend of testBackends()) {
  describe(`/metrics [${backend.name}]`, () => {
    let database: IsolatedDatabase;
    let server: TestServer;
    let guarded: TestServer;
    let tenant: Tenant;
    let receiver: Receiver;
    before(async () => {
      // A database of its own: the queue depth counts every company's events.
      database = await isolatedDatabase(backend);
      receiver = await Receiver.start();
      receiver.reply = () => 500;
      server = await startTestServer(backend, {
        database: parseDatabaseUrl(database.url, 3),
        access: { ...DEFAULT_ACCESS, rateLimit: { ...DEFAULT_ACCESS.rateLimit, enabled: true, burst: 3 } },
        webhooks: { ...WEBHOOK_DEFAULTS, dispatcher: true, pollIntervalMs: 50, concurrency: 2, timeoutMs: 2000, retryDelaysMs: [600_000] },
      });
      // It shares the database but sends no webhooks: a second dispatcher could take the event first and retry it
      // on its own schedule, leaving the first server's counters and queue at another step.
      guarded = await startTestServer(backend, {
        database: parseDatabaseUrl(database.url, 2),
        metricsToken: 'scrape-secret',
        webhooks: { ...WEBHOOK_DEFAULTS, dispatcher: false },
      });
      tenant = await newTenant(server);
    });
    after(async () => {
      await server.close();
      await guarded.close();
      await receiver.close();
      await database.drop();
    });

    it('counts requests by route pattern and status with latency histograms, open without a token', async () => {
      const created = await tenant.api.post('/api/v2/persons', { name: 'Counted' });
      assert.equal(created.status, 200);
      assert.equal((await tenant.api.get(`/api/v2/persons/${created.body.data.id}`)).status, 200);
      assert.equal((await fetch(`${server.url}/nowhere/${created.body.data.id}`)).status, 404);
      const { status, type, text } = await scrape(server);
      assert.equal(status, 200);
      assert.match(type ?? '', /^text\/plain; version=0\.0\.4/);
      const read = { method: 'GET', route: '/api/v2/persons/:id', status: '200' };
      assert.equal(sample(text, 'personsd_http_requests_total', read), 1);
      assert.equal(sample(text, 'personsd_http_request_duration_seconds_count', read), 1);
      assert.equal(sample(text, 'personsd_http_request_duration_seconds_bucket', { ...read, le: '+Inf' }), 1);
      assert.equal(sample(text, 'personsd_http_requests_total', { method: 'POST', route: '/api/v2/persons', status: '200' }), 1);
      // Unmatched paths share one series, so scanners cannot blow up the series count.
      assert.equal(sample(text, 'personsd_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' }), 1);
      assert.equal(sample(text, 'personsd_http_requests_in_flight'), 1);
      assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0);
    });

    it('shows the database connections: the PostgreSQL pool, or SQLite\'s write-ahead log', async () => {
      const { text } = await scrape(server);
      if (backend.name === 'postgres') {
        const total = sample(text, 'personsd_db_pool_connections', { state: 'total' }) ?? 0;
        // The pool holds 3 at most (parseDatabaseUrl above); the test's own queries opened at least one.
        assert.ok(total >= 1 && total <= 3, `total ${total}`);
        assert.ok((sample(text, 'personsd_db_pool_connections', { state: 'idle' }) ?? -1) <= total);
        assert.ok((sample(text, 'personsd_db_pool_connections', { state: 'waiting' }) ?? -1) >= 0);
        assert.equal(sample(text, 'personsd_sqlite_wal_bytes'), undefined);
        assert.equal(sample(text, 'personsd_search_merge_seconds_total'), undefined);
      } else {
        assert.ok((sample(text, 'personsd_sqlite_wal_bytes') ?? 0) > 0);
        // Counted from the process's start (test/v2/search-compaction.test.ts sees it grow with merge steps).
        assert.ok((sample(text, 'personsd_search_merge_seconds_total') ?? -1) >= 0);
        assert.equal(sample(text, 'personsd_db_pool_connections', { state: 'total' }), undefined);
      }
    });

    it('counts rate-limit rejections by limit', async () => {
      const before = sample((await scrape(server)).text, 'personsd_rate_limit_rejections_total', { limit: 'burst' });
      assert.equal(before, 0);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await tenant.api.get('/api/v2/persons')).status);
      const refused = statuses.filter((status) => status === 429).length;
      assert.ok(refused >= 1, `statuses ${statuses}`);
      const { text } = await scrape(server);
      assert.equal(sample(text, 'personsd_rate_limit_rejections_total', { limit: 'burst' }), refused);
      assert.equal(sample(text, 'personsd_rate_limit_rejections_total', { limit: 'daily' }), 0);
    });

    it('shows the webhook queue depth and counts failed deliveries', async () => {
      const { api } = await tenant.addUser({ admin: true });
      const hook = await api.post('/v1/webhooks', { subscription_url: `${receiver.url}/hook`, event_action: 'create', event_object: 'person' });
      assert.equal(hook.status, 201);
      assert.equal((await api.post('/api/v2/persons', { name: 'Hooked' })).status, 200);
      await receiver.waitFor(1);
      await eventually(async () => sample((await scrape(server)).text, 'personsd_webhook_deliveries_total', { result: 'failure' }) === 1, 'the failure');
      const { text } = await scrape(server);
      // Failed once, the event waits for its retry ten minutes away.
      assert.equal(sample(text, 'personsd_webhook_queue_depth'), 1);
      assert.equal(sample(text, 'personsd_webhook_deliveries_total', { result: 'success' }), 0);
    });

    it('wants METRICS_TOKEN as a Bearer token when it is set', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: 'Basic c2NyYXBlLXNlY3JldA==' }]) {
        const refused = await scrape(guarded, headers);
        assert.equal(refused.status, 401);
        assert.match(JSON.parse(refused.text).error_info, /METRICS_TOKEN/);
      }
      const allowed = await scrape(guarded, { authorization: 'Bearer scrape-secret' });
      assert.equal(allowed.status, 200);
      assert.match(allowed.text, /^# HELP /m);
    });
  });
}
