import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type Api, newTenant, testBackends } from '../helpers/server.ts';
import { ManualClock, Receiver, eventually, startWebhookServer } from '../helpers/webhooks.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function subscribe(api: Api, url: string): Promise<any> {
  const res = await api.post('/v1/webhooks', { subscription_url: url, event_action: '*', event_object: 'person' });
  assert.equal(res.status, 201);
  return res.body.data;
}

async function listed(api: Api, id: number): Promise<any> {
  return (await api.get('/v1/webhooks')).body.data.find((w: any) => w.id === id);
}

async function deliveryLog(api: Api, id: number, count: number): Promise<any[]> {
  return eventually(async () => {
    const data = (await api.get(`/v1/webhooks/${id}/deliveries?limit=500`)).body.data;
    return data.length >= count && [...data].reverse();
  });
}

for (const backend of testBackends()) {
  describe(`webhook ban and removal rules [${backend.name}]`, () => {
    let server: Awaited<ReturnType<typeof startWebhookServer>>;
    let clock: ManualClock;
    let receiver: Receiver;
    before(async () => {
      clock = new ManualClock(Date.now());
      server = await startWebhookServer(backend, { clock });
    });
    after(() => server.close());
    beforeEach(async () => {
      receiver = await Receiver.start();
    });
    afterEach(() => receiver.close());

    it('bans a webhook for 30 minutes after 10 failed first attempts; events meanwhile are dropped and recorded', async () => {
      const { api } = await newTenant(server);
      const hook = await subscribe(api, receiver.url);
      receiver.reply = () => 500;
      for (let i = 0; i < 9; i++) await api.post('/api/v2/persons', { name: `F${i}` });
      await deliveryLog(api, hook.id, 9);
      assert.equal((await listed(api, hook.id)).is_active, 1, 'nine failures do not ban');

      await api.post('/api/v2/persons', { name: 'F9' });
      await deliveryLog(api, hook.id, 10);
      const banned = await listed(api, hook.id);
      assert.equal(banned.is_active, 0);
      assert.equal(banned.banned_until, new Date(clock.now + 30 * MINUTE).toISOString());
      assert.equal(banned.last_http_status, 500);

      await api.post('/api/v2/persons', { name: 'During the ban' });
      const log = await deliveryLog(api, hook.id, 11);
      assert.equal(log[10].result, 'dropped');
      assert.equal(log[10].event, 'create.person');
      assert.equal(log[10].error, `webhook banned until ${banned.banned_until}`);
      await sleep(200);
      assert.equal(receiver.received.length, 10, 'nothing is sent while banned');

      // The ban ends; the ten events' retries go out, and failing retries do not count towards a new ban.
      clock.advance(30 * MINUTE + 1000);
      await receiver.waitFor(20);
      await deliveryLog(api, hook.id, 21);
      const after = await listed(api, hook.id);
      assert.equal(after.is_active, 1);
      assert.equal(after.banned_until, null);
      assert.deepEqual(receiver.received.slice(10).map((r) => r.body.meta.attempt), Array(10).fill(2));
      assert.ok(!receiver.bodies.some((b) => b.data.name === 'During the ban'), 'the dropped event is never sent');

      receiver.reply = () => 200;
      await api.post('/api/v2/persons', { name: 'After the ban' });
      const [fresh] = (await receiver.waitFor(21)).slice(20);
      assert.equal(fresh.body.data.name, 'After the ban');
      assert.equal(fresh.body.meta.attempt, 1);
    });

    it('counts first-attempt failures in a row: a success starts the count again', async () => {
      const { api } = await newTenant(server);
      const hook = await subscribe(api, receiver.url);
      receiver.reply = (request) => (request.body.data.name.startsWith('ok') ? 200 : 500);
      // Each batch is recorded before the next starts, so the outcomes count in exactly this order.
      for (let i = 0; i < 9; i++) await api.post('/api/v2/persons', { name: `bad ${i}` });
      await deliveryLog(api, hook.id, 9);
      await api.post('/api/v2/persons', { name: 'ok' });
      await deliveryLog(api, hook.id, 10);
      for (let i = 9; i < 18; i++) await api.post('/api/v2/persons', { name: `bad ${i}` });
      const log = await deliveryLog(api, hook.id, 19);
      assert.deepEqual(log.map((d) => d.result).filter((r) => r === 'success'), ['success']);
      const state = await listed(api, hook.id);
      assert.equal(state.is_active, 1);
      assert.equal(state.banned_until, null);
    });

    it('removes a webhook with no successful delivery for 3 days, keeping it listed with the reason', async () => {
      const { api } = await newTenant(server);
      const hook = await subscribe(api, receiver.url);
      receiver.reply = () => 500;
      await api.post('/api/v2/persons', { name: 'Day 0' });
      // The attempt's outcome is recorded at the clock's time when the answer came: wait for it before moving on.
      await deliveryLog(api, hook.id, 1);

      clock.advance(2 * DAY + 23 * 60 * MINUTE);
      const day2 = (await api.post('/api/v2/persons', { name: 'Day 2' })).body.data;
      await eventually(async () => (await deliveryLog(api, hook.id, 1)).some((d) => d.entity_id === day2.id), 5000, 'the Day 2 attempt');
      assert.equal((await listed(api, hook.id)).remove_time, null, 'still there before 3 days');

      clock.advance(61 * MINUTE);
      await api.post('/api/v2/persons', { name: 'Day 3' });
      const removed = await eventually(async () => {
        const state = await listed(api, hook.id);
        return state.remove_time !== null && state;
      }, 5000, 'the removal');
      assert.equal(removed.is_active, 0);
      assert.equal(removed.remove_reason, 'no successful delivery for 3 consecutive days');
      assert.match(removed.remove_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok((await api.get(`/v1/webhooks/${hook.id}/deliveries`)).body.data.length > 0, 'its delivery log stays readable');

      // Nothing more is sent: neither new events nor the retries that were pending.
      await sleep(100);
      const sent = receiver.received.length;
      await api.post('/api/v2/persons', { name: 'Day 4' });
      clock.advance(DAY);
      await sleep(300);
      assert.equal(receiver.received.length, sent);
      assert.equal((await api.get(`/v1/webhooks/${hook.id}/deliveries`)).status, 200);

      // A removed webhook frees its place; deleting it for good still works.
      assert.equal((await api.delete(`/v1/webhooks/${hook.id}`)).status, 200);
      assert.equal(await listed(api, hook.id), undefined);
    });
  });
}
