import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { Api, testBackends } from '../helpers/server.ts';
import { type PersonsdProcess, Receiver, eventually, isolatedDatabaseUrl, spawnPersonsd } from '../helpers/webhooks.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fast delivery timings for the spawned processes (the same as the in-process webhook tests use). */
const FAST_ENV = { WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_DELAYS_MS: '100,200,300' };

for (const backend of testBackends()) {
  describe(`webhooks across process crashes and processes [${backend.name}]`, () => {
    const started: PersonsdProcess[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const process of started.splice(0)) await process.kill('SIGKILL');
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setUp() {
      const db = await isolatedDatabaseUrl(backend);
      cleanups.push(db.cleanup);
      const receiver = await Receiver.start();
      cleanups.push(() => receiver.close());
      const token = randomBytes(20).toString('hex');
      const env = { DATABASE_URL: db.url, PERSONSD_BOOTSTRAP_TOKEN: token, ...FAST_ENV };
      const spawnWith = async (extra: Record<string, string> = {}) => {
        const process = await spawnPersonsd({ ...env, ...extra });
        started.push(process);
        return { process, api: new Api(process.url, token) };
      };
      return { receiver, spawnWith };
    }

    it('delivers exactly once an event committed just before a kill -9 (dispatcher paused)', async () => {
      const { receiver, spawnWith } = await setUp();
      // WEBHOOK_DISPATCHER=off: this process only writes events to the outbox, so it dies between commit and delivery.
      const first = await spawnWith({ WEBHOOK_DISPATCHER: 'off' });
      assert.equal((await first.api.post('/v1/webhooks', { subscription_url: receiver.url, event_action: '*', event_object: 'person' })).status, 201);
      const person = await first.api.post('/api/v2/persons', { name: 'Survivor' });
      assert.equal(person.status, 200);
      await first.process.kill('SIGKILL');
      await sleep(200);
      assert.equal(receiver.received.length, 0);

      const second = await spawnWith();
      const [delivered] = await receiver.waitFor(1, 10_000);
      assert.equal(delivered.body.meta.action, 'create');
      assert.equal(delivered.body.data.id, person.body.data.id);
      assert.equal(delivered.body.data.name, 'Survivor');
      await sleep(700);
      assert.equal(receiver.received.length, 1, 'delivered exactly once');
      const hooks = (await second.api.get('/v1/webhooks')).body.data;
      assert.equal(hooks[0].last_http_status, 200);
    });

    it('delivers exactly once an event whose first attempt failed before a kill -9', async () => {
      const { spawnWith } = await setUp();
      // Nothing listens on the receiver's port at first: the first attempt is refused and a retry is pending.
      const probe = await Receiver.start();
      const port = probe.port;
      await probe.close();
      const first = await spawnWith({ WEBHOOK_RETRY_DELAYS_MS: '1500,1500,1500' });
      const hook = (await first.api.post('/v1/webhooks', { subscription_url: `http://127.0.0.1:${port}/hook`, event_action: '*', event_object: 'person' })).body.data;
      await first.api.post('/api/v2/persons', { name: 'Retried after restart' });
      await eventually(async () => (await first.api.get(`/v1/webhooks/${hook.id}/deliveries`)).body.data.length === 1, 5000, 'the refused attempt');
      await first.process.kill('SIGKILL');

      const receiver = await Receiver.start(port);
      try {
        await spawnWith();
        const [delivered] = await receiver.waitFor(1, 10_000);
        assert.equal(delivered.body.data.name, 'Retried after restart');
        assert.equal(delivered.body.meta.attempt, 2);
        await sleep(700);
        assert.equal(receiver.received.length, 1);
      } finally {
        await receiver.close();
      }
    });

    it('delivers each event exactly once with two processes dispatching from one database', async () => {
      const { receiver, spawnWith } = await setUp();
      // A generous timeout: two SQLite processes queue on the file's write lock, which stalls a process's event
      // loop for a moment, and a stalled loop must not turn an answered request into a timeout and a retry here.
      const one = await spawnWith({ WEBHOOK_TIMEOUT_MS: '10000' });
      const two = await spawnWith({ WEBHOOK_TIMEOUT_MS: '10000' });
      await one.api.post('/v1/webhooks', { subscription_url: receiver.url, event_action: 'create', event_object: '*' });
      const writes: Promise<{ status: number }>[] = [];
      for (let i = 0; i < 20; i++) {
        writes.push(one.api.post('/api/v2/persons', { name: `One ${i}` }));
        writes.push(two.api.post('/api/v2/organizations', { name: `Two ${i}` }));
      }
      assert.deepEqual([...new Set((await Promise.all(writes)).map((w) => w.status))], [200]);
      await receiver.waitFor(40, 10_000);
      await sleep(700);
      const ids = receiver.bodies.map((b) => b.meta.id);
      assert.equal(new Set(ids).size, 40, 'every event arrived');
      assert.deepEqual(receiver.bodies.filter((b) => b.meta.attempt !== 1), [], 'no event needed a second attempt');
      assert.equal(ids.length, 40, `received ${ids.length} requests for 40 events`);
    });
  });
}
