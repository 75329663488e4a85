import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** Followers of organizations and deals, v2 and v1, as persons' followers work. */
const ENTITIES = [
  { entity: 'organization', records: 'organizations', link: 'org_id', create: { name: 'Acme' } },
  { entity: 'deal', records: 'deals', link: 'deal_id', create: { title: 'Big sale' } },
] as const;

for (const backend of testBackends()) {
  describe(`organization and deal followers [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('adds, lists, pages, removes and logs followers over v2, refusing a second follow and unknown users', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const second = await addUser();
      const third = await addUser();
      const other = await newTenant(server);
      for (const e of ENTITIES) {
        const id = (await api.post(`/api/v2/${e.records}`, e.create)).body.data.id;
        const base = `/api/v2/${e.records}/${id}/followers`;
        assert.deepEqual((await api.get(base)).body.data, []);
        for (const user of [userId, second.userId, third.userId]) {
          const added = await api.post(base, { user_id: user });
          assert.equal(added.status, 201, JSON.stringify(added.body));
          assert.equal(added.body.data.user_id, user);
          assert.match(added.body.data.add_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        }
        const again = await api.post(base, { user_id: second.userId });
        assert.equal(again.status, 400);
        assert.match(again.body.error, /already follows/);
        for (const user_id of [other.userId, 987654321]) {
          const res = await api.post(base, { user_id });
          assert.equal(res.status, 400, `user ${user_id}`);
          assert.match(res.body.error, /not an active user of this company/);
        }
        for (const body of [{ user_id: '1' }, {}, { user_id: 1, extra: true }, { user_id: -1 }]) {
          assert.equal((await api.post(base, body)).status, 400, JSON.stringify(body));
        }

        const first = await api.get(`${base}?limit=2`);
        assert.deepEqual(first.body.data.map((f: any) => f.user_id), [userId, second.userId]);
        const rest = await api.get(`${base}?limit=2&cursor=${encodeURIComponent(first.body.additional_data.next_cursor)}`);
        assert.deepEqual(rest.body.data.map((f: any) => f.user_id), [third.userId]);
        assert.equal(rest.body.additional_data.next_cursor, null);

        const removed = await api.delete(`${base}/${second.userId}`);
        assert.equal(removed.status, 200, JSON.stringify(removed.body));
        assert.deepEqual(removed.body.data, { user_id: second.userId });
        assert.equal((await api.delete(`${base}/${second.userId}`)).status, 404);

        const log = await api.get(`${base}/changelog`);
        assert.equal(log.status, 200);
        assert.deepEqual(
          log.body.data.map((c: any) => [c.action, c.follower_user_id, c.actor_user_id]),
          [['removed', second.userId, userId], ['added', third.userId, userId], ['added', second.userId, userId], ['added', userId, userId]],
          'newest first',
        );
        const paged = await api.get(`${base}/changelog?limit=1`);
        assert.equal(paged.body.data.length, 1);
        assert.ok(paged.body.additional_data.next_cursor);

        // Another company's token, a missing record and a deleted one answer 404 on every route; nothing changes.
        for (const [who, target] of [[other.api, id], [api, 987654321]] as const) {
          const path = `/api/v2/${e.records}/${target}/followers`;
          assert.equal((await who.get(path)).status, 404);
          assert.equal((await who.post(path, { user_id: other.userId })).status, 404);
          assert.equal((await who.delete(`${path}/${userId}`)).status, 404);
          assert.equal((await who.get(`${path}/changelog`)).status, 404);
        }
        assert.equal((await api.get(`${base}/abc`)).status, 404);
        assert.deepEqual((await api.get(base)).body.data.map((f: any) => f.user_id), [userId, third.userId]);
        assert.equal((await api.delete(`/api/v2/${e.records}/${id}`)).status, 200);
        assert.equal((await api.get(base)).status, 404, 'a deleted record has no followers to show');
      }
    });

    it('serves v1 followers by relationship id, answering an existing follower with it, and keeps records a user may not see hidden', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const colleague = await addUser();
      for (const e of ENTITIES) {
        const id = (await api.post(`/api/v2/${e.records}`, { ...e.create, visible_to: 1 })).body.data.id;
        const base = `/v1/${e.records}/${id}/followers`;
        const added = await api.post(base, { user_id: colleague.userId });
        assert.equal(added.status, 200, JSON.stringify(added.body));
        assert.equal(added.body.data[e.link], id);
        assert.equal(added.body.data.user_id, colleague.userId);
        assert.match(added.body.data.add_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        const again = await api.post(base, { user_id: colleague.userId });
        assert.equal(again.status, 200);
        assert.equal(again.body.data.id, added.body.data.id, 'v1 answers the existing relationship');
        await api.post(base, { user_id: userId });
        const listed = await api.get(`${base}?limit=1`);
        assert.deepEqual(listed.body.data.map((f: any) => f.user_id), [colleague.userId]);
        assert.deepEqual(listed.body.additional_data.pagination, { start: 0, limit: 1, more_items_in_collection: true, next_start: 1 });

        // visible_to 1 is the owner's (and admins'): a non-admin colleague is not shown the record, follower or not.
        assert.equal((await colleague.api.get(base)).status, 404);
        assert.equal((await colleague.api.post(`/api/v2/${e.records}/${id}/followers`, { user_id: colleague.userId })).status, 404);

        const removed = await api.delete(`${base}/${added.body.data.id}`);
        assert.deepEqual(removed.body.data, { id: added.body.data.id });
        assert.equal((await api.delete(`${base}/${added.body.data.id}`)).status, 404);
        const log = (await api.get(`/api/v2/${e.records}/${id}/followers/changelog`)).body.data;
        assert.deepEqual(log.map((c: any) => c.action), ['removed', 'added', 'added'], 'v1 changes are in the same changelog');
      }
    });
  });
}
