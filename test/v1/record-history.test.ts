import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const ENTITIES = [
  { entity: 'organization', path: 'organizations', name: 'name', create: { name: 'Acme' }, rename: 'Acme Corp', fields: 'organizationFields', change: 'organizationChange', follower: 'organizationFollower', link: 'org_id' },
  { entity: 'deal', path: 'deals', name: 'title', create: { title: 'Big sale' }, rename: 'Bigger sale', fields: 'dealFields', change: 'dealChange', follower: 'dealFollower', link: 'deal_id' },
] as const;

type Change = { field_key: string; old_value: string | null; new_value: string | null; actor_user_id: number; change_source: string; change_source_user_agent: string | null };

async function changelog(api: Api, path: string, id: number, query = ''): Promise<Change[]> {
  const res = await api.get(`/v1/${path}/${id}/changelog${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

for (const backend of testBackends()) {
  describe(`v1 organization and deal changelog and flow [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    for (const e of ENTITIES) {
      it(`records a ${e.entity}'s field changes from either API version, newest first, and nothing for a refused write`, async () => {
        const tenant = await newTenant(server);
        const { api, userId } = tenant;
        const size = (await api.post(`/v1/${e.fields}`, { name: 'Size', field_type: 'double' })).body.data.key;
        const id = (await api.post(`/api/v2/${e.path}`, e.create)).body.data.id;
        assert.deepEqual(await changelog(api, e.path, id), [], 'creating is not a change');

        assert.equal((await api.patch(`/api/v2/${e.path}/${id}`, { [e.name]: e.rename, custom_fields: { [size]: 12 } })).status, 200);
        assert.equal((await api.put(`/v1/${e.path}/${id}`, { visible_to: '7' })).status, 200);
        const refused = await api.patch(`/api/v2/${e.path}/${id}`, { [e.name]: 'Nope', owner_id: 987654 });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));

        const changes = await changelog(api, e.path, id);
        assert.deepEqual(
          changes.map((c) => [c.field_key, c.old_value, c.new_value]),
          [
            ['visible_to', '3', '7'],
            [e.name, e.create[e.name as keyof typeof e.create], e.rename],
            [size, null, '12'],
          ],
        );
        assert.ok(changes.every((c) => c.actor_user_id === userId && c.change_source === 'api'));

        const first = (await api.get(`/v1/${e.path}/${id}/changelog?limit=1`)).body;
        assert.equal(first.data.length, 1);
        const rest = await changelog(api, e.path, id, `?limit=5&cursor=${encodeURIComponent(first.additional_data.next_cursor)}`);
        assert.deepEqual([...first.data, ...rest].map((c: Change) => c.field_key), changes.map((c) => c.field_key));
        assert.deepEqual((await changelog(api, e.path, id, '?start=2')).map((c) => c.field_key), [size], 'offsets for clients that send start');
      });

      it(`answers a ${e.entity}'s update feed: changes, followers, notes and activities, newest first, and hides it from others`, async () => {
        const tenant = await newTenant(server);
        const { api } = tenant;
        const other = await newTenant(server);
        const member = await tenant.addUser();
        const id = (await api.post(`/api/v2/${e.path}`, { ...e.create, visible_to: 1 })).body.data.id;
        await api.post(`/api/v2/${e.path}/${id}/followers`, { user_id: member.userId });
        await api.patch(`/api/v2/${e.path}/${id}`, { [e.name]: e.rename });
        await api.post('/v1/notes', { content: 'A note', [e.link]: id });
        await api.post('/api/v2/activities', { subject: 'Planned', [e.link]: id, due_date: '2026-05-01' });
        await api.post('/api/v2/activities', { subject: 'Done', [e.link]: id, due_date: '2026-01-01', done: true });

        const flow = await api.get(`/v1/${e.path}/${id}/flow`);
        assert.equal(flow.status, 200, JSON.stringify(flow.body));
        const objects = flow.body.data.map((i: { object: string }) => i.object);
        for (const object of [e.change, e.follower, 'note', 'activity', 'plannedActivity']) assert.ok(objects.includes(object), `${object} in ${objects}`);
        const times = flow.body.data.map((i: { timestamp: string }) => i.timestamp);
        assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
        const change = flow.body.data.find((i: { object: string }) => i.object === e.change);
        assert.deepEqual([change.data.field_key, change.data.new_value, change.data.item_id], [e.name, e.rename, id]);
        assert.ok(flow.body.related_objects.user[String(tenant.userId)], 'the acting user is a related object');

        const onlyNotes = await api.get(`/v1/${e.path}/${id}/flow?items=note`);
        assert.deepEqual(onlyNotes.body.data.map((i: { object: string }) => i.object), ['note']);
        const paged = await api.get(`/v1/${e.path}/${id}/flow?start=1&limit=2`);
        assert.deepEqual(paged.body.data.map((i: { object: string }) => i.object), objects.slice(1, 3));
        assert.equal(paged.body.additional_data.pagination.more_items_in_collection, objects.length > 3);
        assert.equal((await api.get(`/v1/${e.path}/${id}/flow?items=nonsense`)).status, 400);

        for (const outsider of [other.api, member.api]) {
          assert.equal((await outsider.get(`/v1/${e.path}/${id}/changelog`)).status, 404, 'another company, or a user who may not see it');
          assert.equal((await outsider.get(`/v1/${e.path}/${id}/flow`)).status, 404);
        }
        assert.equal((await api.get(`/v1/${e.path}/987654/changelog`)).status, 404);
      });
    }

    it("lists an organization's deals in its feed, and records a deal's status, stage and link changes", async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      const person = (await api.post('/api/v2/persons', { name: 'Ann' })).body.data.id;
      const deal = (await api.post('/api/v2/deals', { title: 'Sale', org_id: org })).body.data;
      const stages = (await api.get(`/api/v2/stages?pipeline_id=${deal.pipeline_id}`)).body.data.map((s: { id: number }) => s.id);
      assert.equal((await api.patch(`/api/v2/deals/${deal.id}`, { stage_id: stages[1], person_id: person })).status, 200);
      assert.equal((await api.patch(`/api/v2/deals/${deal.id}`, { status: 'won' })).status, 200);
      const keys = (await changelog(api, 'deals', deal.id)).map((c) => c.field_key);
      for (const key of ['status', 'won_time', 'stage_id', 'person_id']) assert.ok(keys.includes(key), `${key} in ${keys}`);
      const personChange = (await api.get(`/v1/deals/${deal.id}/flow?items=dealChange`)).body.data.find((i: any) => i.data.field_key === 'person_id');
      assert.deepEqual(personChange.data.additional_data, { old_value_formatted: null, new_value_formatted: 'Ann' });
      const orgFlow = (await api.get(`/v1/organizations/${org}/flow?items=deal`)).body.data;
      assert.deepEqual(orgFlow.map((i: any) => [i.object, i.data.id]), [['deal', deal.id]]);
    });
  });
}
