import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { Receiver, eventually, startWebhookServer } from '../helpers/webhooks.ts';

for (const backend of testBackends()) {
  describe(`persons of a deleted organization lose the link [${backend.name}]`, () => {
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

    it('in the delete itself: GET, the org_id filter, duplicates, history, webhooks and v1 related objects agree', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const other = await tenant.addUser();
      const acme = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id as number;
      const globex = (await api.post('/api/v2/organizations', { name: 'Globex' })).body.data.id as number;
      const jane = (await api.post('/api/v2/persons', { name: 'Jane Doe', org_id: acme, update_time: '2020-01-01T00:00:00Z' })).body.data;
      // Another user's private person: unlinked all the same.
      const twin = (await other.api.post('/api/v2/persons', { name: 'Jane Doe', org_id: acme, visible_to: 1 })).body.data;
      const kept = (await api.post('/api/v2/persons', { name: 'Kept', org_id: globex })).body.data;
      const rules = async () => ((await api.get(`/api/v2/persons/${jane.id}/duplicates`)).body.data as any[]).map((d) => [d.id, d.rule]);
      assert.deepEqual(await rules(), [[twin.id, 'same_name_same_organization']]);
      assert.equal((await api.get(`/api/v2/persons?org_id=${acme}`)).body.data.length, 2);
      const hook = await api.post('/v1/webhooks', { subscription_url: receiver.url, event_action: 'change', event_object: 'person' });
      assert.equal(hook.status, 201);

      assert.equal((await api.delete(`/api/v2/organizations/${acme}`)).status, 200);

      const read = (await api.get(`/api/v2/persons/${jane.id}`)).body.data;
      assert.equal(read.org_id, null);
      assert.ok(read.update_time > jane.update_time, 'update_time records the unlink');
      assert.equal((await other.api.get(`/api/v2/persons/${twin.id}`)).body.data.org_id, null);
      assert.equal((await api.get(`/api/v2/persons/${kept.id}`)).body.data.org_id, globex, "another organization's persons keep theirs");
      assert.deepEqual((await api.get(`/api/v2/persons?org_id=${acme}`)).body.data, []);
      assert.deepEqual((await api.get(`/api/v2/persons?org_id=${globex}`)).body.data.map((p: any) => p.id), [kept.id]);
      assert.deepEqual(await rules(), [[twin.id, 'same_name']], 'no longer the same name in the same organization');
      assert.equal((await api.patch(`/api/v2/persons/${jane.id}`, { org_id: acme })).status, 400, 'a deleted organization cannot be linked again');

      // History and v1 flow: the unlink is a change of org_id; related_objects describes the organization as inactive.
      const flow = (await api.get(`/v1/persons/${jane.id}/flow`)).body;
      const change = flow.data.find((item: any) => item.object === 'personChange' && item.data.field_key === 'org_id');
      assert.deepEqual([change.data.old_value, change.data.new_value], [String(acme), null]);
      assert.equal(flow.related_objects.organization[acme].active_flag, false);
      assert.equal(flow.related_objects.organization[acme].people_count, 0);

      const events = await eventually(async () => {
        const got = receiver.bodies.filter((b) => b.meta.action === 'change');
        return got.length >= 2 && got;
      }, 5000, 'a change webhook per unlinked person');
      assert.deepEqual(events.map((b) => Number(b.meta.entity_id)).sort((a, b) => a - b), [jane.id, twin.id].sort((a, b) => a - b));
      for (const body of events) {
        assert.equal(body.data.org_id, null);
        assert.equal(body.previous.org_id, acme);
      }
    });

    it('an unmerge does not bring back a link to an organization deleted since the merge', async () => {
      const { api } = await newTenant(server);
      const acme = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id as number;
      const survivor = (await api.post('/api/v2/persons', { name: 'Survivor' })).body.data.id as number;
      const merged = (await api.post('/api/v2/persons', { name: 'Merged', org_id: acme })).body.data.id as number;
      const merge = await api.put(`/v1/persons/${merged}/merge`, { merge_with_id: survivor });
      assert.equal(merge.body.data.org_id, acme);
      assert.equal((await api.delete(`/api/v2/organizations/${acme}`)).status, 200);
      assert.equal((await api.get(`/api/v2/persons/${survivor}`)).body.data.org_id, null);

      const unmerge = await api.post(`/api/v2/persons/${merged}/unmerge`);
      assert.equal(unmerge.status, 200, JSON.stringify(unmerge.body));
      assert.equal(unmerge.body.data.restored.org_id, null);
      assert.equal(unmerge.body.data.survivor.org_id, null);
      assert.equal((await api.get(`/api/v2/persons/${merged}`)).body.data.org_id, null);
      assert.deepEqual(
        unmerge.body.additional_data.not_restored.filter((n: any) => n.field.includes('org_id')).map((n: any) => n.field).sort(),
        ['org_id', `person ${merged} org_id`].sort(),
      );
      assert.deepEqual((await api.get(`/api/v2/persons?org_id=${acme}`)).body.data, []);
    });
  });
}
