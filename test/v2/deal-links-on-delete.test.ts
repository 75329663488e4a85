import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { webhookSuite } from '../helpers/webhooks.ts';

for (const backend of testBackends()) {
  describe(`deals of a deleted person or organization lose the link [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('in the delete itself: GET, the list filters and change webhooks agree; other deals keep theirs', async () => {
      const tenant = await newTenant(suite.server);
      const { api } = tenant;
      const other = await tenant.addUser();
      const acme = (await api.post('/api/v2/organizations', { name: 'Acme', visible_to: 7 })).body.data.id as number;
      const globex = (await api.post('/api/v2/organizations', { name: 'Globex' })).body.data.id as number;
      const jane = (await api.post('/api/v2/persons', { name: 'Jane Doe', visible_to: 7 })).body.data.id as number;
      const john = (await api.post('/api/v2/persons', { name: 'John Roe' })).body.data.id as number;
      const both = (await api.post('/api/v2/deals', { title: 'Both', person_id: jane, org_id: acme, update_time: '2020-01-01T00:00:00Z' })).body.data;
      // Another user's private deal: unlinked all the same.
      const hidden = (await other.api.post('/api/v2/deals', { title: 'Hidden', person_id: jane, visible_to: 1 })).body.data;
      const kept = (await api.post('/api/v2/deals', { title: 'Kept', person_id: john, org_id: globex })).body.data;
      const hook = await api.post('/v1/webhooks', { subscription_url: suite.receiver.url, event_action: 'change', event_object: 'deal' });
      assert.equal(hook.status, 201);

      assert.equal((await api.delete(`/api/v2/persons/${jane}`)).status, 200);
      const afterPerson = (await api.get(`/api/v2/deals/${both.id}`)).body.data;
      assert.deepEqual([afterPerson.person_id, afterPerson.org_id], [null, acme]);
      assert.ok(afterPerson.update_time > both.update_time, 'update_time records the unlink');
      assert.equal((await other.api.get(`/api/v2/deals/${hidden.id}`)).body.data.person_id, null);
      assert.deepEqual((await api.get(`/api/v2/deals?person_id=${jane}`)).body.data, []);

      assert.equal((await api.delete(`/api/v2/organizations/${acme}`)).status, 200);
      assert.equal((await api.get(`/api/v2/deals/${both.id}`)).body.data.org_id, null);
      assert.deepEqual((await api.get(`/api/v2/deals?org_id=${acme}`)).body.data, []);
      const keptNow = (await api.get(`/api/v2/deals/${kept.id}`)).body.data;
      assert.deepEqual([keptNow.person_id, keptNow.org_id, keptNow.update_time], [john, globex, kept.update_time], 'unrelated deals are untouched');

      const events = await suite.receiver.waitFor(3);
      const changes = events.map((r) => [Number(r.body.meta.entity_id), r.body.previous]);
      assert.deepEqual(
        changes.sort((a, b) => (a[0] as number) - (b[0] as number) || Object.keys(a[1] as object)[0].localeCompare(Object.keys(b[1] as object)[0])),
        [
          [both.id, { org_id: acme }],
          [both.id, { person_id: jane }],
          [hidden.id, { person_id: jane }],
        ].sort((a, b) => (a[0] as number) - (b[0] as number) || Object.keys(a[1] as object)[0].localeCompare(Object.keys(b[1] as object)[0])),
      );
    });

    it("a merge moves the merged person's deals to the survivor rather than unlinking them", async () => {
      const { api } = await newTenant(suite.server);
      const survivor = (await api.post('/api/v2/persons', { name: 'Survivor' })).body.data.id as number;
      const merged = (await api.post('/api/v2/persons', { name: 'Merged' })).body.data.id as number;
      const deal = (await api.post('/api/v2/deals', { title: 'Moves', person_id: merged })).body.data.id as number;
      assert.equal((await api.put(`/v1/persons/${merged}/merge`, { merge_with_id: survivor })).status, 200);
      assert.equal((await api.get(`/api/v2/deals/${deal}`)).body.data.person_id, survivor);
    });

    it('a delete that fails changes no deal', async () => {
      const tenant = await newTenant(suite.server);
      const other = await tenant.addUser();
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Private', visible_to: 1 })).body.data.id as number;
      const deal = (await tenant.api.post('/api/v2/deals', { title: 'Linked', person_id: person, visible_to: 7 })).body.data;
      assert.equal((await other.api.delete(`/api/v2/persons/${person}`)).status, 404, 'the other user may not see the person');
      const read = (await tenant.api.get(`/api/v2/deals/${deal.id}`)).body.data;
      assert.deepEqual([read.person_id, read.update_time], [person, deal.update_time]);
    });
  });
}
