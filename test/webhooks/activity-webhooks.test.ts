import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Api, newTenant, testBackends } from '../helpers/server.ts';
import { webhookSuite } from '../helpers/webhooks.ts';

async function subscribe(api: Api, body: Record<string, unknown>): Promise<any> {
  const res = await api.post('/v1/webhooks', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

for (const backend of testBackends()) {
  describe(`activity webhooks [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('v2: create, change and delete of an activity, with the changed fields in previous', async () => {
      const { api, userId } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: suite.receiver.url, event_action: '*', event_object: 'activity' });
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const activity = (await api.post('/api/v2/activities', { subject: 'Call Jane', person_id: person.id, note: '<p>hi<script>x()</script></p>' })).body.data;
      await api.patch(`/api/v2/activities/${activity.id}`, { done: true });
      await api.delete(`/api/v2/activities/${activity.id}`);
      const [create, change, remove] = (await suite.receiver.waitFor(3)).map((r) => r.body);
      assert.equal(create.meta.entity, 'activity');
      assert.equal(create.meta.action, 'create');
      assert.equal(create.meta.entity_id, String(activity.id));
      assert.deepEqual(create.meta.permitted_user_ids, [String(userId)]);
      assert.equal(create.data.subject, 'Call Jane');
      assert.equal(create.data.note, '<p>hi</p>', 'payloads carry the defused HTML');
      assert.deepEqual(create.data.participants, [{ person_id: person.id, primary: true }]);
      assert.equal(change.meta.action, 'change');
      assert.equal(change.data.done, true);
      assert.equal(change.previous.done, false);
      assert.equal(remove.meta.action, 'delete');
      assert.equal(remove.previous.id, activity.id);
    });

    it('v1: added.activity with the REST activity as current, only to users who see its person', async () => {
      const { api, addUser } = await newTenant(suite.server);
      const regular = await addUser();
      await subscribe(api, { subscription_url: suite.receiver.url, event_action: 'added', event_object: 'activity', version: '1.0', user_id: regular.userId });
      const hidden = (await api.post('/api/v2/persons', { name: 'Private', visible_to: 1 })).body.data;
      const shared = (await api.post('/api/v2/persons', { name: 'Shared', visible_to: 7 })).body.data;
      await api.post('/v1/activities', { subject: 'secret', person_id: hidden.id });
      const open = (await api.post('/v1/activities', { subject: 'open', person_id: shared.id })).body.data;
      // Events reach a webhook in the order written, so the hidden one, written first, would have arrived first.
      const [added] = (await suite.receiver.waitFor(1)).map((r) => r.body);
      assert.equal(added.meta.action, 'added');
      assert.equal(added.meta.object, 'activity');
      assert.equal(added.current.id, open.id);
      assert.equal(added.current.subject, 'open');
      assert.equal(added.current.person_name, 'Shared');
      assert.equal(added.current.add_time, open.add_time);
    });
  });
}
