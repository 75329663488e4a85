import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`person followers, v2 and v1 [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('v2: adds (201), lists with a cursor, removes by user id, and keeps a changelog', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const ann = await addUser();
      const bob = await addUser();
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const base = `/api/v2/persons/${person.id}/followers`;

      const added = await api.post(base, { user_id: ann.userId });
      assert.equal(added.status, 201);
      assert.equal(added.body.success, true);
      assert.equal(added.body.data.user_id, ann.userId);
      assert.match(added.body.data.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal((await api.post(base, { user_id: bob.userId })).status, 201);
      assert.equal((await api.post(base, { user_id: userId })).status, 201);

      const first = await api.get(`${base}?limit=2`);
      assert.equal(first.status, 200);
      assert.deepEqual(first.body.data.map((f: { user_id: number }) => f.user_id), [ann.userId, bob.userId]);
      const rest = await api.get(`${base}?limit=2&cursor=${encodeURIComponent(first.body.additional_data.next_cursor)}`);
      assert.deepEqual(rest.body.data.map((f: { user_id: number }) => f.user_id), [userId]);
      assert.equal(rest.body.additional_data.next_cursor, null);

      const removed = await api.delete(`${base}/${bob.userId}`);
      assert.deepEqual(removed.body, { success: true, data: { user_id: bob.userId } });
      assert.equal((await api.delete(`${base}/${bob.userId}`)).status, 404, 'no longer a follower');
      assert.deepEqual((await api.get(base)).body.data.map((f: { user_id: number }) => f.user_id), [ann.userId, userId]);

      const log = await api.get(`${base}/changelog`);
      assert.equal(log.status, 200);
      assert.deepEqual(
        log.body.data.map((c: Record<string, unknown>) => [c.action, c.follower_user_id, c.actor_user_id]),
        [['removed', bob.userId, userId], ['added', userId, userId], ['added', bob.userId, userId], ['added', ann.userId, userId]],
      );
      const paged = await api.get(`${base}/changelog?limit=3`);
      assert.equal(paged.body.data.length, 3);
      const tail = await api.get(`${base}/changelog?limit=3&cursor=${encodeURIComponent(paged.body.additional_data.next_cursor)}`);
      assert.deepEqual(tail.body.data.map((c: { follower_user_id: number }) => c.follower_user_id), [ann.userId]);
    });

    it('v2: refuses a duplicate follower, an unknown user and bad bodies with 400, and unknown persons with 404', async () => {
      const { api, addUser } = await newTenant(server);
      const other = await newTenant(server);
      const ann = await addUser();
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const base = `/api/v2/persons/${person.id}/followers`;
      await api.post(base, { user_id: ann.userId });

      const duplicate = await api.post(base, { user_id: ann.userId });
      assert.equal(duplicate.status, 400);
      assert.match(duplicate.body.error, /already follows/);
      const stranger = await api.post(base, { user_id: other.userId });
      assert.equal(stranger.status, 400, "another company's user cannot follow");
      assert.match(stranger.body.error, new RegExp(`user_id ${other.userId} is not an active user`));
      assert.equal((await api.post(base, {})).status, 400);
      assert.match((await api.post(base, { user_id: '5' })).body.error, /user_id must be an integer/);
      assert.equal((await api.post(base, { user_id: ann.userId, extra: 1 })).status, 400);

      assert.equal((await api.get('/api/v2/persons/999999/followers')).status, 404);
      assert.equal((await api.post('/api/v2/persons/999999/followers', { user_id: ann.userId })).status, 404);
      assert.equal((await other.api.get(base)).status, 404, "another company's person is not found");
      await api.delete(`/api/v2/persons/${person.id}`);
      assert.equal((await api.get(base)).status, 404, 'a deleted person has no followers to show');
      assert.equal((await api.get(`${base}/changelog`)).status, 404);
    });

    it('v1: lists with offset pagination and relationship ids, adds idempotently, deletes by relationship id', async () => {
      const { api, addUser } = await newTenant(server);
      const ann = await addUser();
      const bob = await addUser();
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const base = `/v1/persons/${person.id}/followers`;

      const added = await api.post(base, { user_id: ann.userId });
      assert.equal(added.status, 200);
      const relationship = added.body.data;
      assert.equal(relationship.user_id, ann.userId);
      assert.equal(relationship.person_id, person.id);
      assert.equal(typeof relationship.id, 'number');
      assert.match(relationship.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const again = await api.post(base, { user_id: ann.userId });
      assert.equal(again.status, 200, 'v1 answers an existing follower with the relationship');
      assert.deepEqual(again.body.data, relationship);
      await api.post(`/api/v1/persons/${person.id}/followers`, { user_id: bob.userId });

      const page = await api.get(`${base}?limit=1`);
      assert.deepEqual(page.body.data, [relationship]);
      assert.deepEqual(page.body.additional_data, { pagination: { start: 0, limit: 1, more_items_in_collection: true, next_start: 1 } });
      const last = await api.get(`${base}?start=1&limit=1`);
      assert.deepEqual(last.body.data.map((f: { user_id: number }) => f.user_id), [bob.userId]);
      assert.deepEqual(last.body.additional_data, { pagination: { start: 1, limit: 1, more_items_in_collection: false } });

      const removed = await api.delete(`${base}/${relationship.id}`);
      assert.deepEqual(removed.body, { success: true, data: { id: relationship.id } });
      assert.equal((await api.delete(`${base}/${relationship.id}`)).status, 404);
      assert.equal((await api.post(base, { user_id: 999999 })).status, 400);
      assert.equal((await api.get('/v1/persons/999999/followers')).status, 404);
      const v2 = await api.get(`/api/v2/persons/${person.id}/followers`);
      assert.deepEqual(v2.body.data.map((f: { user_id: number }) => f.user_id), [bob.userId], 'v1 and v2 see the same followers');
    });
  });
}
