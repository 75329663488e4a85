import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HostResolver } from '../../src/domain/webhooks/delivery-targets.ts';
import { type WebhookTargetSettings, defaultTargets } from '../../src/domain/webhooks/webhook-delivery-settings.ts';
import { type Api, type TestServer, newTenant, testBackends } from '../helpers/server.ts';
import { FAST_WEBHOOKS, Receiver, deliveryLog as deliveries, startWebhookServer } from '../helpers/webhooks.ts';

const PRODUCTION = defaultTargets(true);
const DEVELOPMENT = defaultTargets(false);
const REFUSED = /^invalid or non-reachable URL: refused by the webhook target policy: /;

function subscribe(api: Api, url: string, prefix = '/v1') {
  return api.post(`${prefix}/webhooks`, { subscription_url: url, event_action: '*', event_object: 'person' });
}

async function subscribed(api: Api, url: string): Promise<any> {
  const res = await subscribe(api, url);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

function assertRefused(res: { status: number; body: any }, reason: RegExp, url: string): void {
  assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.status, 'error');
  assert.equal(res.body.success, false);
  assert.deepEqual(Object.keys(res.body.errors), ['subscription_url'], url);
  assert.match(res.body.errors.subscription_url[0], REFUSED, url);
  assert.match(res.body.errors.subscription_url[0], reason, url);
}

// A delivery that outlives its timeout is sent again (at least once), so a receipt counted exactly must not time out
// on a loaded machine: FAST_WEBHOOKS' one second was once exceeded in a full suite run, and the receiver got a
// delivery twice. Nothing here tests the timeout (test/webhooks/delivery.test.ts does).
const TARGET_TESTS_TIMEOUT_MS = 10_000;

/** A server on a database of its own with the given target policy (and host resolver). */
async function serverWith(backend: Parameters<typeof startWebhookServer>[0], targets: WebhookTargetSettings, resolveHost?: HostResolver) {
  return startWebhookServer(backend, { webhooks: { targets, timeoutMs: TARGET_TESTS_TIMEOUT_MS }, resolveHost });
}

for (const backend of testBackends()) {
  describe(`webhook targets [${backend.name}]`, () => {
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
    });
    after(() => receiver.close());

    describe('in production', () => {
      let server: TestServer;
      before(async () => {
        server = await serverWith(backend, PRODUCTION);
      });
      after(() => server.close());

      it('refuses loopback, private, link-local, multicast and unspecified receivers at subscription, in every spelling', async () => {
        const { api } = await newTenant(server);
        const port = receiver.port;
        for (const [url, reason] of [
          [`http://127.0.0.1:${port}/hook`, /127\.0\.0\.1 is a loopback address$/],
          [`http://2130706433:${port}/hook`, /127\.0\.0\.1 is a loopback address$/],
          [`http://0x7f.1:${port}/hook`, /127\.0\.0\.1 is a loopback address$/],
          [`http://localhost:${port}/hook`, /localhost resolves to a loopback address$/],
          [`http://LocalHost.:${port}/hook`, /localhost resolves to a loopback address$/],
          [`http://[::1]:${port}/hook`, /::1 is a loopback address$/],
          [`http://[::ffff:7f00:1]:${port}/hook`, /::ffff:7f00:1 is a loopback address$/],
          [`http://[::ffff:127.0.0.1]:${port}/hook`, /::ffff:7f00:1 is a loopback address$/],
          ['http://[fe80::1]/hook', /fe80::1 is a link-local address$/],
          ['http://169.254.169.254/latest/meta-data/', /link-local/],
          ['https://10.0.0.1/hook', /10\.0\.0\.1 is a private-network address$/],
          ['http://192.168.1.20/hook', /private-network/],
          ['http://100.64.0.1/hook', /private-network/],
          ['http://[fd00::1]/hook', /private-network/],
          ['http://224.0.0.1/hook', /multicast/],
          ['http://0.0.0.0/hook', /unspecified/],
          ['http://[::]/hook', /unspecified/],
        ] as const) {
          assertRefused(await subscribe(api, url), reason, url);
        }
        assertRefused(await subscribe(api, `http://[::1]:${port}/hook`, '/api/v1'), /loopback/, '/api/v1');
        assert.deepEqual((await api.get('/v1/webhooks')).body.data, []);
      });

      it('accepts a public address, and a name that does not resolve (its deliveries are checked)', async () => {
        const { api } = await newTenant(server);
        await subscribed(api, 'https://93.184.216.34/hook');
        await subscribed(api, 'https://hooks.personsd-test.invalid/hook');
        assert.equal((await api.get('/v1/webhooks')).body.data.length, 2);
      });
    });

    it('outside production delivers to a loopback receiver (also by name) but refuses private and link-local ones', async () => {
      const server = await serverWith(backend, DEVELOPMENT);
      try {
        const { api } = await newTenant(server);
        const before = receiver.received.length;
        await subscribed(api, `${receiver.url}?by=address`);
        await subscribed(api, `http://localhost:${receiver.port}/hook?by=name`);
        await subscribed(api, `http://[::ffff:7f00:1]:${receiver.port}/hook?by=mapped`);
        for (const url of ['http://[fe80::1]/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/', 'http://[fc00::1]/']) {
          assertRefused(await subscribe(api, url), /link-local|private-network/, url);
        }
        await api.post('/api/v2/persons', { name: 'Local receiver' });
        const got = (await receiver.waitFor(before + 3)).slice(before).map((r) => r.path).sort();
        assert.deepEqual(got, ['/hook?by=address', '/hook?by=mapped', '/hook?by=name']);
      } finally {
        await server.close();
      }
    });

    it('WEBHOOK_ALLOW_PRIVATE delivers to loopback in production; WEBHOOK_ALLOWED_HOSTS lets the listed hosts only', async () => {
      const open = await serverWith(backend, { ...PRODUCTION, allowPrivate: true });
      const listed = await serverWith(backend, { ...PRODUCTION, allowedHosts: ['127.0.0.1'] });
      try {
        const before = receiver.received.length;
        const a = await newTenant(open);
        await subscribed(a.api, `http://localhost:${receiver.port}/hook?server=open`);
        await subscribed(a.api, 'http://10.0.0.1/hook');
        const b = await newTenant(listed);
        await subscribed(b.api, `${receiver.url}?server=listed`);
        assertRefused(await subscribe(b.api, `http://localhost:${receiver.port}/hook`), /localhost resolves to a loopback address$/, 'localhost');
        await a.api.post('/api/v2/persons', { name: 'Open' });
        await b.api.post('/api/v2/persons', { name: 'Listed' });
        const got = (await receiver.waitFor(before + 2)).slice(before).map((r) => r.path).sort();
        assert.deepEqual(got, ['/hook?server=listed', '/hook?server=open']);
      } finally {
        await open.close();
        await listed.close();
      }
    });

    it('checks the address connected to: a refused one is a failed attempt with its reason, retried as any failure', async () => {
      // A name that resolved to a public address when subscribed and resolves to loopback when delivered to
      // (DNS rebinding); `listed.test` resolves to loopback too but is allowed, so the resolver is really used.
      const dns: Record<string, string> = { 'rebind.test': '93.184.216.34', 'listed.test': '127.0.0.1' };
      const resolveHost: HostResolver = async (name) => [{ address: dns[name], family: 4 }];
      const server = await serverWith(backend, { ...PRODUCTION, allowedHosts: ['listed.test'] }, resolveHost);
      try {
        const { api } = await newTenant(server);
        const before = receiver.received.length;
        const rebound = await subscribed(api, `http://rebind.test:${receiver.port}/hook?rebound`);
        await subscribed(api, `http://listed.test:${receiver.port}/hook?listed`);
        dns['rebind.test'] = '127.0.0.1';
        await api.post('/api/v2/persons', { name: 'Rebound' });
        const log = await deliveries(api, rebound.id, FAST_WEBHOOKS.retryDelaysMs.length + 1);
        assert.deepEqual(log.map((d) => [d.attempt, d.result, d.status_code]), [[1, 'failure', null], [2, 'failure', null], [3, 'failure', null], [4, 'failure', null]]);
        assert.match(log[0].error, /^refused by the webhook target policy: rebind\.test resolves to a loopback address; next attempt at /);
        assert.match(log[3].error, /; no attempts left$/);
        assert.deepEqual(receiver.received.slice(before).map((r) => r.path), ['/hook?listed']);
        const listedHook = (await api.get('/v1/webhooks')).body.data.find((w: any) => w.id === rebound.id);
        assert.equal(listedHook.last_http_status, null);
        assert.equal(listedHook.is_active, 1);
      } finally {
        await server.close();
      }
    });

    it('refuses at delivery a literal address the delivering process does not allow', async () => {
      // One process accepted the subscription (outside production); another, in production, delivers.
      const accepting = await startWebhookServer(backend, { webhooks: { dispatcher: false, targets: DEVELOPMENT } });
      const delivering = await startWebhookServer(backend, { webhooks: { targets: PRODUCTION }, databaseUrl: accepting.databaseUrl });
      try {
        const { api } = await newTenant(accepting);
        const before = receiver.received.length;
        const hook = await subscribed(api, `${receiver.url}?literal`);
        await api.post('/api/v2/persons', { name: 'Literal' });
        const [first] = await deliveries(api, hook.id, 1);
        assert.equal(first.result, 'failure');
        assert.match(first.error, /^refused by the webhook target policy: 127\.0\.0\.1 is a loopback address; next attempt at /);
        assert.equal(receiver.received.length, before);
      } finally {
        await delivering.close();
        await accepting.close();
      }
    });

    it('does not follow a redirect from an allowed receiver to a refused one', async () => {
      const server = await serverWith(backend, { ...PRODUCTION, allowedHosts: ['127.0.0.1'] });
      const redirecting = await Receiver.start();
      try {
        const { api } = await newTenant(server);
        const before = receiver.received.length;
        redirecting.reply = () => 307;
        redirecting.headers = { location: `http://localhost:${receiver.port}/hook?redirected` };
        const hook = await subscribed(api, redirecting.url);
        await api.post('/api/v2/persons', { name: 'Redirected' });
        const [first] = await deliveries(api, hook.id, 1);
        assert.equal(first.result, 'failure');
        assert.equal(first.status_code, 307);
        assert.match(first.error, /^HTTP 307 \(redirects are not followed\); next attempt at /);
        await redirecting.waitFor(2);
        assert.equal(receiver.received.length, before, 'the redirect target got nothing');
      } finally {
        await redirecting.close();
        await server.close();
      }
    });
  });
}
