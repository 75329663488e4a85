import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const backend of testBackends()) {
  describe(`v1 note comments [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('adds, lists, reads, updates and deletes comments on a note, sanitised as notes are', async () => {
      const { api, userId, companyId } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const note = (await api.post('/v1/notes', { content: 'note', person_id: person.id })).body.data;
      const added = await api.post(`/v1/notes/${note.id}/comments`, { content: '<p>First<img src="x" onerror="alert(1)"></p>' });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const comment = added.body.data;
      assert.match(comment.uuid, UUID);
      assert.equal(comment.content, '<p>First<img src="x" /></p>');
      assert.equal(comment.object_id, String(note.id));
      assert.equal(comment.object_type, 'note');
      assert.equal(comment.user_id, userId);
      assert.equal(comment.company_id, companyId);
      assert.equal(comment.updater_id, null);
      const second = (await api.post(`/v1/notes/${note.id}/comments`, { content: 'Second' })).body.data;

      const page = await api.get(`/v1/notes/${note.id}/comments?limit=1`);
      assert.deepEqual(page.body.data.map((c: { uuid: string }) => c.uuid), [comment.uuid]);
      assert.deepEqual(page.body.additional_data.pagination, { start: 0, limit: 1, more_items_in_collection: true, next_start: 1 });
      assert.deepEqual((await api.get(`/v1/notes/${note.id}/comments?start=1`)).body.data.map((c: { uuid: string }) => c.uuid), [second.uuid]);
      assert.deepEqual((await api.get(`/v1/notes/${note.id}/comments/${comment.uuid}`)).body.data, comment);

      const updated = (await api.put(`/v1/notes/${note.id}/comments/${comment.uuid}`, { content: '<b>Edited</b>' })).body.data;
      assert.equal(updated.content, '<b>Edited</b>');
      assert.equal(updated.updater_id, userId);
      assert.deepEqual((await api.delete(`/v1/notes/${note.id}/comments/${comment.uuid}`)).body, { success: true, data: true });
      assert.equal((await api.get(`/v1/notes/${note.id}/comments/${comment.uuid}`)).status, 404);
      assert.deepEqual((await api.get(`/v1/notes/${note.id}/comments`)).body.data.map((c: { uuid: string }) => c.uuid), [second.uuid]);
    });

    it('refuses empty content, unknown notes and comments, other companies, hidden notes and editing others\' comments', async () => {
      const { api, addUser } = await newTenant(server);
      const regular = await addUser();
      const stranger = await newTenant(server);
      const shared = (await api.post('/api/v2/persons', { name: 'Shared', visible_to: 7 })).body.data;
      const hidden = (await api.post('/api/v2/persons', { name: 'Private', visible_to: 1 })).body.data;
      const note = (await api.post('/v1/notes', { content: 'note', person_id: shared.id })).body.data;
      const secret = (await api.post('/v1/notes', { content: 'secret', person_id: hidden.id })).body.data;
      const comment = (await api.post(`/v1/notes/${note.id}/comments`, { content: 'mine' })).body.data;

      const empty = await api.post(`/v1/notes/${note.id}/comments`, { content: '<script>x()</script>' });
      assert.equal(empty.status, 400);
      assert.match(empty.body.error, /content is empty/);
      assert.equal((await api.post(`/v1/notes/${note.id}/comments`, {})).status, 400);
      assert.equal((await api.get(`/v1/notes/${note.id}/comments/not-a-uuid`)).status, 400);
      assert.equal((await api.get(`/v1/notes/${note.id}/comments/00000000-0000-4000-8000-000000000000`)).status, 404);
      assert.equal((await api.get('/v1/notes/999999/comments')).status, 404);
      assert.equal((await stranger.api.get(`/v1/notes/${note.id}/comments`)).status, 404);
      assert.equal((await stranger.api.post(`/v1/notes/${note.id}/comments`, { content: 'hi' })).status, 404);
      assert.equal((await regular.api.get(`/v1/notes/${secret.id}/comments`)).status, 404);
      assert.equal((await regular.api.put(`/v1/notes/${note.id}/comments/${comment.uuid}`, { content: 'taken over' })).status, 403);
      assert.equal((await regular.api.delete(`/v1/notes/${note.id}/comments/${comment.uuid}`)).status, 403);
      assert.deepEqual((await api.get(`/v1/notes/${note.id}/comments`)).body.data, [comment], 'nothing changed');

      await api.delete(`/v1/notes/${note.id}`);
      assert.equal((await api.get(`/v1/notes/${note.id}/comments`)).status, 404, "a deleted note's comments go with it");
    });
  });
}
