import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Api, type TestServer, testBackends } from '../helpers/server.ts';
import { FAST_WEBHOOKS } from '../helpers/webhooks.ts';
import { adminTenant, startAdminServer } from './admin-server.ts';

/** Polls the sink until it holds `count` deliveries (the dispatcher delivers asynchronously). */
async function deliveriesOf(admin: Api, sinkId: string, count: number): Promise<any[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const deliveries = (await admin.get(`/_personsd/sinks/${sinkId}`)).body.data;
    if (deliveries.length >= count) return deliveries;
    await sleep(50);
  }
  throw new Error(`the sink did not receive ${count} deliveries`);
}

for (const backend of testBackends()) {
  describe(`admin API: webhook sinks [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    before(async () => ({ server, admin } = await startAdminServer(backend, { webhooks: FAST_WEBHOOKS })));
    after(() => server.close());

    it('records the delivery of a webhook subscribed to it, as Pipedrive would have sent it', async () => {
      const tenant = await adminTenant(server, admin);
      const sink = (await admin.post('/_personsd/sinks')).body.data;
      assert.match(sink.id, /^[0-9a-f]{32}$/);
      assert.equal(sink.url, `${server.url}/_personsd/sinks/${sink.id}/receive`);
      const hook = await tenant.api.post('/v1/webhooks', { subscription_url: sink.url, event_action: 'create', event_object: 'person' });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Ada Lovelace' })).body.data;

      const [delivery] = await deliveriesOf(admin, sink.id, 1);
      assert.equal(delivery.body.meta.action, 'create');
      assert.equal(delivery.body.meta.entity, 'person');
      assert.equal(delivery.body.meta.entity_id, String(person.id));
      assert.equal(delivery.body.meta.company_id, String(tenant.companyId));
      assert.equal(delivery.body.data.name, 'Ada Lovelace');
      assert.equal(delivery.headers['content-type'].startsWith('application/json'), true);
      assert.ok(!Number.isNaN(Date.parse(delivery.time)));
    });

    it('receives without the admin token, but only for a sink that exists; reading needs the token', async () => {
      const sink = (await admin.post('/_personsd/sinks')).body.data;
      const anonymous = new Api(server.url, undefined);
      assert.equal((await anonymous.post(`/_personsd/sinks/${sink.id}/receive`, { hello: 'world' })).status, 200);
      assert.equal((await anonymous.post(`/_personsd/sinks/${'0'.repeat(32)}/receive`, {})).status, 404);
      assert.equal((await anonymous.get(`/_personsd/sinks/${sink.id}`)).status, 401);
      assert.deepEqual((await admin.get(`/_personsd/sinks/${sink.id}`)).body.data.map((d: any) => d.body), [{ hello: 'world' }]);
    });
  });
}
