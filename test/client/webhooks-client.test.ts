import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { ClientTraffic, officialClient } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';
import { Receiver, startWebhookServer } from '../helpers/webhooks.ts';

for (const backend of testBackends()) {
  describe(`official pipedrive client: v1 WebhooksApi [${backend.name}]`, () => {
    let server: Awaited<ReturnType<typeof startWebhookServer>>;
    let traffic: ClientTraffic;
    let receiver: Receiver;
    before(async () => {
      server = await startWebhookServer(backend);
    });
    after(() => server.close());
    beforeEach(async () => {
      traffic = new ClientTraffic(server);
      receiver = await Receiver.start();
    });
    afterEach(async () => {
      traffic.stop();
      await receiver.close();
    });

    it('adds, lists and deletes a webhook, and the webhook receives the client\'s writes', async () => {
      const tenant = await newTenant(server);
      const client = officialClient(server, tenant.token);
      const webhooks = new v1.WebhooksApi(client.v1);

      const added = await webhooks.addWebhook({
        AddWebhookRequest: {
          subscription_url: receiver.url,
          event_action: 'create',
          event_object: 'person',
          name: 'From the client',
          http_auth_user: 'u',
          http_auth_password: 'p',
          version: '2.0',
        },
      });
      assert.equal(traffic.last().method, 'POST');
      assert.equal(traffic.last().path, '/v1/webhooks');
      assert.equal(traffic.last().status, 201);
      assert.equal(added.success, true);
      const hook = added.data!;
      assert.equal(hook.name, 'From the client');
      assert.equal(hook.event_action, 'create');
      assert.equal(hook.event_object, 'person');
      assert.equal(hook.version, '2.0');
      assert.equal(hook.is_active, 1);

      const listed = await webhooks.getWebhooks();
      assert.equal(listed.success, true);
      assert.deepEqual(listed.data!.map((w) => w.id), [hook.id]);

      const person = await new v2.PersonsApi(client.v2).addPerson({ AddPersonRequest: { name: 'Via client' } });
      const [delivered] = await receiver.waitFor(1);
      assert.equal(delivered.body.data.id, person.data!.id);
      assert.equal(delivered.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);

      const deleted = await webhooks.deleteWebhook({ id: hook.id! });
      assert.equal(traffic.last().method, 'DELETE');
      assert.equal(traffic.last().status, 200);
      assert.equal(deleted.success, true);
      assert.deepEqual((await webhooks.getWebhooks()).data, []);
    });

    it('surfaces the webhooks error body for an invalid URL and an unknown id', async () => {
      const tenant = await newTenant(server);
      const webhooks = new v1.WebhooksApi(officialClient(server, tenant.token).v1);
      const invalid = await webhooks
        .addWebhook({ AddWebhookRequest: { subscription_url: 'ftp://example.com', event_action: '*', event_object: '*', name: 'x' } })
        .then(() => undefined, (error: unknown) => error as any);
      assert.equal(traffic.last().status, 400);
      assert.equal(invalid?.success, false);
      assert.deepEqual(Object.keys(invalid?.errors ?? {}), ['subscription_url']);

      const missing = await webhooks.deleteWebhook({ id: 987654321 }).then(() => undefined, (error: unknown) => error as any);
      assert.equal(traffic.last().status, 404);
      assert.deepEqual(missing, { status: 'error', success: false, errors: { id: ['not found'] } });
    });
  });
}
