import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type Api, type Backend, type TestServer, testBackends } from '../helpers/server.ts';
import { FAST_WEBHOOKS, Receiver, deliveryLog, eventually, subscribeWebhook as subscribe } from '../helpers/webhooks.ts';
import { adminTenant, startAdminServer } from './admin-server.ts';

const [FIRST_RETRY, SECOND_RETRY] = FAST_WEBHOOKS.retryDelaysMs;

const what = (body: any) => `${body.meta.action}:${body.meta.entity}:${body.meta.entity_id}`;

for (const backend of testBackends()) {
  describe(`admin API: webhook delivery faults [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    let receiver: Receiver;
    before(async () => ({ server, admin } = await startAdminServer(backend, { webhooks: FAST_WEBHOOKS })));
    after(() => server.close());
    beforeEach(async () => {
      receiver = await Receiver.start();
      assert.equal((await admin.delete('/_personsd/faults')).status, 200);
    });
    afterEach(() => receiver.close());

    const addFault = async (rule: Record<string, unknown>): Promise<number> => {
      const res = await admin.post('/_personsd/faults', rule);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.data.ids[0];
    };

    it('delivers a matching event twice, with the same event id, into a sink; other events once', async () => {
      const { api } = await adminTenant(server, admin);
      const sink = (await admin.post('/_personsd/sinks')).body.data;
      const hook = await subscribe(api, sink.url, { event_object: 'person' });
      await addFault({ type: 'webhook_duplicate', webhook_id: hook.id, event_action: 'create' });
      const person = (await api.post('/api/v2/persons', { name: 'Twice Told' })).body.data;
      await api.patch(`/api/v2/persons/${person.id}`, { name: 'Once Changed' });

      const log = await deliveryLog(api, hook.id, 2);
      assert.deepEqual(log.map((d) => [d.event, d.attempt, d.result]), [['create.person', 1, 'success'], ['change.person', 1, 'success']], 'one attempt each in the log');
      const bodies = (await admin.get(`/_personsd/sinks/${sink.id}`)).body.data.map((d: any) => d.body);
      assert.deepEqual(bodies.map(what), [`create:person:${person.id}`, `create:person:${person.id}`, `change:person:${person.id}`]);
      assert.equal(bodies[0].meta.id, bodies[1].meta.id, 'the duplicate carries the same event id');
      assert.deepEqual(bodies[1], bodies[0]);
      assert.notEqual(bodies[2].meta.id, bodies[0].meta.id);
    });

    it("delivers one webhook's events late by delay_ms while another webhook's arrive at once", async () => {
      const { api } = await adminTenant(server, admin);
      const late = await Receiver.start();
      try {
        await subscribe(api, receiver.url);
        const slow = await subscribe(api, late.url);
        await addFault({ type: 'webhook_delay', webhook_id: slow.id, delay_ms: 600 });
        const started = Date.now();
        await api.post('/api/v2/persons', { name: 'Late Arrival' });
        const [prompt] = await receiver.waitFor(1);
        const [delayed] = await late.waitFor(1);
        assert.ok(delayed.at - started >= 600, `the delayed copy came ${delayed.at - started} ms after the write`);
        assert.ok(prompt.at < delayed.at, 'the other webhook was not kept waiting');
        assert.equal(delayed.body.meta.attempt, 1);
        assert.equal(delayed.body.meta.entity_id, prompt.body.meta.entity_id);
      } finally {
        await late.close();
      }
    });

    it("holds an event back until the webhook's next event was delivered, even for the same person", async () => {
      const { api } = await adminTenant(server, admin);
      const hook = await subscribe(api, receiver.url);
      const rule = await addFault({ type: 'webhook_out_of_order', webhook_id: hook.id, times: 1 });
      const person = (await api.post('/api/v2/persons', { name: 'First Written' })).body.data;
      await api.patch(`/api/v2/persons/${person.id}`, { name: 'Second Written' });

      const swapped = await receiver.waitFor(2);
      assert.deepEqual(swapped.map((r) => what(r.body)), [`change:person:${person.id}`, `create:person:${person.id}`]);
      assert.equal(swapped[1].body.meta.attempt, 1, 'holding back is no failed attempt');
      assert.equal(swapped[1].body.data.name, 'First Written');

      await api.patch(`/api/v2/persons/${person.id}`, { name: 'Third Written' });
      const [, , third] = await receiver.waitFor(3);
      assert.equal(third.body.data.name, 'Third Written', 'the rule fired once (times: 1); later events keep their order');
      const listed = (await admin.get('/_personsd/faults')).body.data.find((r: any) => r.id === rule);
      assert.equal(listed.fired, 1);
      assert.equal(listed.type, 'webhook_out_of_order');
    });

    it('fails the first N attempts of a matching event without sending them, so the retry schedule runs', async () => {
      const { api } = await adminTenant(server, admin);
      const hook = await subscribe(api, receiver.url);
      const rule = await addFault({ type: 'webhook_fail', webhook_id: hook.id, event_object: 'person', event_action: 'added', attempts: 2 });
      const started = Date.now();
      await api.post('/api/v2/persons', { name: 'Third Time Lucky' });
      const [received] = await receiver.waitFor(1);
      assert.equal(received.body.meta.attempt, 3, 'the receiver first hears of it on the third attempt');
      assert.ok(received.at - started >= FIRST_RETRY + SECOND_RETRY - 10, `retried on schedule (${received.at - started} ms)`);

      const log = await deliveryLog(api, hook.id, 3);
      assert.deepEqual(log.map((d) => [d.attempt, d.result, d.status_code]), [[1, 'failure', null], [2, 'failure', null], [3, 'success', 200]]);
      assert.match(log[0].error, new RegExp(`^fault injected \\(rule ${rule}\\); next attempt at \\d{4}-`));
      assert.equal(receiver.received.length, 1, 'failed attempts sent nothing');

      const org = (await api.post('/api/v2/organizations', { name: 'Not a person' })).body.data;
      const [, orgEvent] = await receiver.waitFor(2);
      assert.equal(what(orgEvent.body), `create:organization:${org.id}`);
      assert.equal(orgEvent.body.meta.attempt, 1, 'an organization event does not match event_object person');
    });

    it('refuses webhook rules with settings of another kind, or of no known kind', async () => {
      for (const body of [
        { type: 'webhook_duplicate', delay_ms: 10 },
        { type: 'webhook_delay', attempts: 2 },
        { type: 'webhook_delay', delay_ms: 600_001 },
        { type: 'webhook_fail', attempts: 0 },
        { type: 'webhook_explode' },
      ]) {
        const res = await admin.post('/_personsd/faults', body);
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.deepEqual((await admin.get('/_personsd/faults')).body.data, []);
    });
  });

  describe(`admin API: webhook delivery faults across a restart [${backend.name}]`, () => {
    it('puts an event held back into the outbox again when the server stops, so the next start delivers it', async () => {
      const db = backend.databaseUrl();
      const sameDatabase: Backend = { name: backend.name, databaseUrl: () => ({ url: db.url, cleanup() {} }) };
      const receiver = await Receiver.start();
      try {
        const first = await startAdminServer(sameDatabase, { webhooks: FAST_WEBHOOKS });
        const { api } = await adminTenant(first.server, first.admin);
        const hook = await subscribe(api, receiver.url);
        await first.admin.post('/_personsd/faults', { type: 'webhook_out_of_order', webhook_id: hook.id });
        const person = (await api.post('/api/v2/persons', { name: 'Held Over' })).body.data;
        await eventually(async () => (await first.admin.get('/_personsd/faults')).body.data[0].fired === 1, 5000, 'the event to be held');
        await first.server.close();
        assert.equal(receiver.received.length, 0);

        const second = await startAdminServer(sameDatabase, { webhooks: FAST_WEBHOOKS });
        try {
          const [delivered] = await receiver.waitFor(1);
          assert.equal(what(delivered.body), `create:person:${person.id}`);
          assert.equal(delivered.body.meta.attempt, 1);
        } finally {
          await second.server.close();
        }
      } finally {
        await receiver.close();
        db.cleanup();
      }
    });
  });
}
