import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { Receiver, startWebhookServer } from '../helpers/webhooks.ts';

for (const backend of testBackends()) {
  describe(`webhooks of imports and unmerges [${backend.name}]`, () => {
    let server: Awaited<ReturnType<typeof startWebhookServer>>;
    let receiver: Receiver;
    before(async () => {
      server = await startWebhookServer(backend);
      receiver = await Receiver.start();
    });
    after(async () => {
      await receiver.close();
      await server.close();
    });

    it('sends a create for each imported person, and change + create for an unmerge', async () => {
      const tenant = await newTenant(server);
      const hook = await tenant.api.post('/v1/webhooks', { subscription_url: receiver.url, event_action: '*', event_object: 'person' });
      assert.equal(hook.status, 201);
      const res = await fetch(`${tenant.api.baseUrl}/api/v2/persons/import`, {
        method: 'POST',
        headers: { 'x-api-token': tenant.token, 'content-type': 'text/csv' },
        body: 'name,email\nFirst,first@corp.io\nSecond,second@corp.io\nBroken,nope\n',
      });
      const report = ((await res.json()) as any).data;
      assert.equal(report.created, 2);
      const created = await receiver.waitFor(2);
      assert.deepEqual(created.map((r) => [r.body.meta.action, r.body.data.name]).sort(), [['create', 'First'], ['create', 'Second']]);

      const [a, b] = report.rows.slice(0, 2).map((r: any) => r.id);
      assert.equal((await tenant.api.put(`/v1/persons/${a}/merge`, { merge_with_id: b })).status, 200);
      await receiver.waitFor(4);
      assert.equal((await tenant.api.post(`/api/v2/persons/${b}/unmerge`)).status, 200);
      const all = await receiver.waitFor(6);
      const last = all.slice(4).map((r) => [r.body.meta.action, Number(r.body.meta.entity_id)]);
      assert.deepEqual(last.sort(), [['change', b], ['create', a]].sort());
    });
  });
}
