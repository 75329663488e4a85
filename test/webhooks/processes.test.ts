import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { testBackends } from '../helpers/server.ts';
import { spawnedPersonsd } from '../helpers/spawned-personsd.ts';
import { Receiver, eventually } from '../helpers/webhooks.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fast delivery timings for the spawned processes (the same as the in-process webhook tests use). */
const FAST_ENV = { WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_DELAYS_MS: '100,200,300' };

for (const backend of testBackends()) {
  describe(`webhooks across process crashes and processes [${backend.name}]`, () => {
    const processes = spawnedPersonsd(backend, FAST_ENV);

    async function setUp() {
      const { spawnWith } = await processes.setUp();
      const receiver = await Receiver.start();
      processes.onCleanup(() => receiver.close());
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
      // At first the receiver's port drops every connection: the first attempt fails and a retry is pending. The port
      // stays held until the receiver takes it, so no other socket on the machine (an outgoing connection's ephemeral
      // port) can take it meanwhile, as one once did while the port stood free.
      const dropper = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
      const port = (dropper.address() as AddressInfo).port;
      const first = await spawnWith({ WEBHOOK_RETRY_DELAYS_MS: '1500,1500,1500' });
      const hook = (await first.api.post('/v1/webhooks', { subscription_url: `http://127.0.0.1:${port}/hook`, event_action: '*', event_object: 'person' })).body.data;
      await first.api.post('/api/v2/persons', { name: 'Retried after restart' });
      await eventually(async () => (await first.api.get(`/v1/webhooks/${hook.id}/deliveries`)).body.data.length === 1, 5000, 'the refused attempt');
      await first.process.kill('SIGKILL');

      await new Promise((resolve) => dropper.close(resolve));
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
