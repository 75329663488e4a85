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
  describe(`note webhooks [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('v2: create, change and delete of a note, with only the changed fields in previous', async () => {
      const { api, userId } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: suite.receiver.url, event_action: '*', event_object: 'note' });
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const note = (await api.post('/v1/notes', { content: '<p>hi<script>x()</script></p>', person_id: person.id })).body.data;
      await api.put(`/v1/notes/${note.id}`, { content: '<p>edited</p>', pinned_to_person_flag: 1 });
      await api.delete(`/v1/notes/${note.id}`);
      const [create, change, remove] = (await suite.receiver.waitFor(3)).map((r) => r.body);

      assert.equal(create.meta.entity, 'note');
      assert.equal(create.meta.action, 'create');
      assert.equal(create.meta.entity_id, String(note.id));
      assert.deepEqual(create.meta.permitted_user_ids, [String(userId)]);
      assert.equal(create.data.content, '<p>hi</p>', 'payloads carry the defused HTML');
      assert.equal(create.data.person_id, person.id);
      assert.equal(create.data.is_deleted, false);
      assert.match(create.data.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      assert.equal(change.meta.action, 'change');
      assert.equal(change.data.content, '<p>edited</p>');
      assert.equal(change.previous.content, '<p>hi</p>');
      assert.equal(change.previous.pinned_to_person_flag, false);
      assert.equal(remove.meta.action, 'delete');
      assert.equal(remove.data, null);
      assert.equal(remove.previous.id, note.id);
    });

    it('v1: added.note with the REST note as current', async () => {
      const { api } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: suite.receiver.url, event_action: 'added', event_object: 'note', version: '1.0' });
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const note = (await api.post('/v1/notes', { content: 'v1 body', person_id: person.id })).body.data;
      const [added] = (await suite.receiver.waitFor(1)).map((r) => r.body);
      assert.equal(added.meta.action, 'added');
      assert.equal(added.meta.object, 'note');
      assert.equal(added.current.id, note.id);
      assert.equal(added.current.content, 'v1 body');
      assert.deepEqual(added.current.person, { name: 'Jane' });
      assert.equal(added.current.add_time, note.add_time);
      assert.equal('is_you' in added.current.user, false, 'one payload goes to every receiver, so it cannot say who "you" are');
    });

    it("sends a webhook's user only the notes of persons that user may see", async () => {
      const { api, addUser } = await newTenant(suite.server);
      const regular = await addUser();
      await subscribe(api, { subscription_url: suite.receiver.url, event_action: 'create', event_object: 'note', user_id: regular.userId });
      const hidden = (await api.post('/api/v2/persons', { name: 'Private', visible_to: 1 })).body.data;
      const shared = (await api.post('/api/v2/persons', { name: 'Shared', visible_to: 7 })).body.data;
      await api.post('/v1/notes', { content: 'secret', person_id: hidden.id });
      const open = (await api.post('/v1/notes', { content: 'open', person_id: shared.id })).body.data;
      // Events reach a webhook in the order written, so the hidden note, written first, would have arrived first.
      const [first] = (await suite.receiver.waitFor(1)).map((r) => r.body);
      assert.equal(first.meta.entity_id, String(open.id));
      assert.ok(first.meta.permitted_user_ids.includes(String(regular.userId)));
    });
  });
}
