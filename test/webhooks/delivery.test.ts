import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { FAST_WEBHOOKS, Receiver, deliveryLog as deliveries, eventually, startWebhookServer, subscribeWebhook as subscribe, webhookSuite } from '../helpers/webhooks.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const [FIRST_RETRY, SECOND_RETRY] = FAST_WEBHOOKS.retryDelaysMs;

for (const backend of testBackends()) {
  describe(`webhook delivery [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('retries after 500s on the schedule, counting attempts, until a 2xx', async () => {
      const { api } = await newTenant(suite.server);
      const hook = await subscribe(api, suite.receiver.url);
      suite.receiver.reply = (_request, index) => (index < 2 ? 500 : 204);
      await api.post('/api/v2/persons', { name: 'Retried' });
      const received = await suite.receiver.waitFor(3);
      assert.deepEqual(received.map((r) => r.body.meta.attempt), [1, 2, 3]);
      assert.equal(new Set(received.map((r) => r.body.meta.id)).size, 1, 'every attempt carries the same event id');
      assert.ok(received[1].at - received[0].at >= FIRST_RETRY - 5, `second attempt ${received[1].at - received[0].at} ms after the first`);
      assert.ok(received[2].at - received[1].at >= SECOND_RETRY - 5, `third attempt ${received[2].at - received[1].at} ms after the second`);

      const log = await deliveries(api, hook.id, 3);
      assert.deepEqual(log.map((d) => [d.attempt, d.result, d.status_code]), [[1, 'failure', 500], [2, 'failure', 500], [3, 'success', 204]]);
      assert.match(log[0].error, /^HTTP 500; next attempt at \d{4}-/);
      await sleep(FAST_WEBHOOKS.retryDelaysMs.at(-1)! + 200);
      assert.equal(suite.receiver.received.length, 3, 'nothing more after the success');
      const listed = (await api.get('/v1/webhooks')).body.data[0];
      assert.equal(listed.last_http_status, 204);
      assert.equal(listed.is_active, 1);
    });

    it('gives up after four attempts; the v1 payload counts them in retry', async () => {
      const { api } = await newTenant(suite.server);
      const hook = await subscribe(api, suite.receiver.url, { version: '1.0' });
      suite.receiver.reply = () => 503;
      await api.post('/api/v2/persons', { name: 'Doomed' });
      const received = await suite.receiver.waitFor(4);
      assert.deepEqual(received.map((r) => r.body.retry), [0, 1, 2, 3]);
      await sleep(FAST_WEBHOOKS.retryDelaysMs.at(-1)! + 300);
      assert.equal(suite.receiver.received.length, 4);
      const log = await deliveries(api, hook.id, 4);
      assert.deepEqual(log.map((d) => d.attempt), [1, 2, 3, 4]);
      assert.match(log[3].error, /^HTTP 503; no attempts left$/);
      assert.equal((await api.get('/v1/webhooks')).body.data[0].last_http_status, 503);
    });

    it('treats no answer within the timeout as a failure and retries', async () => {
      const { api } = await newTenant(suite.server);
      const hook = await subscribe(api, suite.receiver.url);
      suite.receiver.reply = (_request, index) => (index === 0 ? 'hang' : 200);
      await api.post('/api/v2/persons', { name: 'Slow first' });
      const received = await suite.receiver.waitFor(2, 5000);
      // The timeout runs from the send, which a loaded machine can make the receiver see later: the retry's delay is
      // the slack here (the first test checks it), so the second attempt comes no sooner than the first timed out.
      const gap = received[1].at - received[0].at;
      assert.ok(gap >= FAST_WEBHOOKS.timeoutMs - 20, `second attempt ${gap} ms after the first`);
      const log = await deliveries(api, hook.id, 2);
      assert.equal(log[0].result, 'failure');
      assert.equal(log[0].status_code, null);
      assert.match(log[0].error, new RegExp(`^no response within ${FAST_WEBHOOKS.timeoutMs} ms`));
      assert.ok(log[0].latency_ms >= FAST_WEBHOOKS.timeoutMs - 20);
      assert.equal(log[1].result, 'success');
    });

    it('records a refused connection and a redirect as failures', async () => {
      const { api } = await newTenant(suite.server);
      const closed = await Receiver.start();
      const deadUrl = closed.url;
      await closed.close();
      const dead = await subscribe(api, deadUrl, { event_object: 'organization' });
      const redirecting = await subscribe(api, suite.receiver.url, { event_object: 'organization' });
      suite.receiver.reply = () => 302;
      await api.post('/api/v2/organizations', { name: 'Nobody home' });
      const [refused] = await deliveries(api, dead.id, 1);
      assert.equal(refused.result, 'failure');
      assert.match(refused.error, /ECONNREFUSED/);
      const [redirected] = await deliveries(api, redirecting.id, 1);
      assert.equal(redirected.status_code, 302);
      assert.equal(redirected.result, 'failure');
    });

    it('keeps each entity\'s events in order while an earlier one is retried; other entities go ahead', async () => {
      // Retries a second apart, so B's write lands while A1 is still being retried however loaded the machine is.
      const server = await startWebhookServer(backend, { webhooks: { retryDelaysMs: [1000, 1000, 1000] } });
      try {
        const { api } = await newTenant(server);
        await subscribe(api, suite.receiver.url, { event_object: 'person' });
        const a = (await api.post('/api/v2/persons', { name: 'A0' })).body.data;
        await suite.receiver.waitFor(1);
        // From now on, A's first change fails until B's event has arrived; everything else succeeds.
        suite.receiver.reply = (request) => (request.body.data?.name === 'A1' && !suite.receiver.received.some((r) => r.body.data?.name === 'B0') ? 500 : 200);
        await api.patch(`/api/v2/persons/${a.id}`, { name: 'A1' });
        await api.patch(`/api/v2/persons/${a.id}`, { name: 'A2' });
        await api.patch(`/api/v2/persons/${a.id}`, { name: 'A3' });
        await api.post('/api/v2/persons', { name: 'B0' });
        const names = await eventually(
          async () => {
            const seen = suite.receiver.received.map((r) => r.body.data.name);
            return seen.includes('A3') && seen.includes('B0') && seen;
          },
          10_000,
          'A3 and B0 delivered',
        );
        // A's events arrive in write order: A1 is retried until it succeeds, and A2 never overtakes it.
        const aNames = names.filter((n: string) => n.startsWith('A'));
        assert.ok(aNames.filter((n: string) => n === 'A1').length >= 2, `A1 was retried: ${names.join(', ')}`);
        assert.deepEqual([...new Set(aNames)], ['A0', 'A1', 'A2', 'A3'], `order was ${names.join(', ')}`);
        assert.ok(aNames.lastIndexOf('A1') < aNames.indexOf('A2'), `order was ${names.join(', ')}`);
        // B was not held back by A's retries: it arrived before A's last (successful) try of A1.
        assert.ok(names.indexOf('B0') < names.lastIndexOf('A1'), `order was ${names.join(', ')}`);
      } finally {
        await server.close();
      }
    });

    it('never slows API requests, whatever the suite.receiver does', async () => {
      // Receivers that never answer, and a timeout far longer than this test: every delivery slot stays busy.
      const slow = await startWebhookServer(backend, { webhooks: { timeoutMs: 60_000, concurrency: 2 } });
      try {
        const { api } = await newTenant(slow);
        suite.receiver.reply = () => 'hang';
        for (let i = 0; i < 3; i++) await subscribe(api, `${suite.receiver.url}?n=${i}`, { event_object: 'person' });
        await api.post('/api/v2/persons', { name: 'Warm-up' });
        await suite.receiver.waitFor(2);
        const started = Date.now();
        let slowest = 0;
        for (let i = 0; i < 20; i++) {
          const t = Date.now();
          const res = await api.post('/api/v2/persons', { name: `P${i}` });
          assert.equal(res.status, 200);
          slowest = Math.max(slowest, Date.now() - t);
        }
        const total = Date.now() - started;
        assert.ok(total < 10_000, `20 writes took ${total} ms with a hanging suite.receiver`);
        assert.equal(suite.receiver.received.length, 2, 'bounded concurrency: only 2 deliveries in flight');
        const list = await api.get('/v1/webhooks');
        assert.equal(list.status, 200);
        console.log(`# 20 writes with every delivery slot hung: ${total} ms in all, slowest ${slowest} ms`);
      } finally {
        await slow.close();
      }
    });
  });
}
