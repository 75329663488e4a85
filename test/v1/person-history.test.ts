import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const V1_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

for (const backend of testBackends()) {
  describe(`person changelog and flow [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('records every field change with old and new value, actor and time, newest first', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const colleague = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Jane Doe', emails: [{ value: 'jane@old.example' }] })).body.data;
      const log = `/v1/persons/${person.id}/changelog`;
      assert.deepEqual((await api.get(log)).body.data, [], 'creating is not a change');

      await api.patch(`/api/v2/persons/${person.id}`, { emails: [{ value: 'jane@new.example' }, { value: 'j@two.example' }], org_id: org.id });
      await colleague.api.patch(`/api/v2/persons/${person.id}`, { job_title: 'CTO', birthday: '1990-01-02' }, { 'user-agent': 'Integration/2.1 (+https://crm.example.com)' });
      const failed = await api.patch(`/api/v2/persons/${person.id}`, { job_title: 'CEO', birthday: '2020-02-30' });
      assert.equal(failed.status, 400);
      await api.patch(`/api/v2/persons/${person.id}`, { job_title: 'CTO' });

      const res = await api.get(log);
      assert.equal(res.status, 200);
      assert.equal(res.body.additional_data.next_cursor, null);
      const entries = res.body.data.map((c: Record<string, unknown>) => [c.field_key, c.old_value, c.new_value, c.actor_user_id]);
      assert.deepEqual(entries, [
        ['birthday', null, '1990-01-02', colleague.userId],
        ['job_title', null, 'CTO', colleague.userId],
        ['org_id', null, String(org.id), userId],
        ['email', 'jane@old.example', 'jane@new.example, j@two.example', userId],
      ]);
      const first = res.body.data[0];
      assert.match(first.time, V1_TIME);
      assert.equal(first.change_source, 'api');
      assert.equal(first.is_bulk_update_flag, false);
      // Each change names the client that made it, as its User-Agent said.
      assert.deepEqual(
        res.body.data.map((c: Record<string, unknown>) => c.change_source_user_agent),
        ['Integration/2.1 (+https://crm.example.com)', 'Integration/2.1 (+https://crm.example.com)', 'node', 'node'],
      );
      const flow = (await api.get(`/v1/persons/${person.id}/flow`)).body.data;
      assert.equal(flow.find((item: any) => item.data.field_key === 'birthday').data.change_source_user_agent, 'Integration/2.1 (+https://crm.example.com)');
    });

    it('pages the changelog by cursor, and by start for clients that send it', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'P0' })).body.data;
      for (let i = 1; i <= 5; i += 1) await api.patch(`/api/v2/persons/${person.id}`, { notes: `note ${i}` });
      const log = `/v1/persons/${person.id}/changelog`;
      const first = await api.get(`${log}?limit=2`);
      assert.deepEqual(first.body.data.map((c: { new_value: string }) => c.new_value), ['note 5', 'note 4']);
      const second = await api.get(`${log}?limit=2&cursor=${encodeURIComponent(first.body.additional_data.next_cursor)}`);
      assert.deepEqual(second.body.data.map((c: { new_value: string }) => c.new_value), ['note 3', 'note 2']);
      const third = await api.get(`${log}?limit=2&cursor=${encodeURIComponent(second.body.additional_data.next_cursor)}`);
      assert.deepEqual(third.body.data.map((c: { new_value: string }) => c.new_value), ['note 1']);
      assert.equal(third.body.additional_data.next_cursor, null);
      const offset = await api.get(`${log}?start=3&limit=1`);
      assert.deepEqual(offset.body.data.map((c: { new_value: string }) => c.new_value), ['note 2']);
      assert.equal((await api.get(`${log}?cursor=nonsense`)).status, 400);
      assert.equal((await api.get(`${log}?limit=501`)).status, 400);
    });

    it('answers 404 for unknown, deleted and foreign persons', async () => {
      const { api } = await newTenant(server);
      const other = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      assert.equal((await other.api.get(`/v1/persons/${person.id}/changelog`)).status, 404);
      assert.equal((await other.api.get(`/v1/persons/${person.id}/flow`)).status, 404);
      assert.equal((await api.get('/v1/persons/999999/changelog')).status, 404);
      await api.delete(`/api/v2/persons/${person.id}`);
      assert.equal((await api.get(`/v1/persons/${person.id}/changelog`)).status, 404);
      assert.equal((await api.get(`/api/v1/persons/${person.id}/flow`)).status, 404);
    });

    it('lists field changes, followers and deals in the flow, newest first, with related objects', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const follower = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Jane', emails: [{ value: 'jane@example.com' }] })).body.data;
      await api.patch(`/api/v2/persons/${person.id}`, { org_id: org.id });
      await api.post(`/api/v2/persons/${person.id}/followers`, { user_id: follower.userId });
      const deal = (await api.post('/api/v2/deals', { title: 'Big', value: 10, person_id: person.id, org_id: org.id })).body.data;

      const flow = await api.get(`/v1/persons/${person.id}/flow`);
      assert.equal(flow.status, 200);
      const objects = flow.body.data.map((i: { object: string }) => i.object).sort();
      assert.deepEqual(objects, ['deal', 'personChange', 'personFollower']);
      for (const item of flow.body.data) assert.match(item.timestamp, V1_TIME);
      const change = flow.body.data.find((i: { object: string }) => i.object === 'personChange').data;
      assert.equal(change.field_key, 'org_id');
      assert.equal(change.new_value, String(org.id));
      assert.equal(change.item_id, person.id);
      assert.equal(change.user_id, userId);
      assert.equal(change.additional_data.new_value_formatted, 'Acme');
      const followed = flow.body.data.find((i: { object: string }) => i.object === 'personFollower').data;
      assert.equal(followed.action, 'added');
      assert.equal(followed.follower_user_id, follower.userId);
      const dealItem = flow.body.data.find((i: { object: string }) => i.object === 'deal').data;
      assert.equal(dealItem.id, deal.id);
      assert.equal(dealItem.title, 'Big');

      const related = flow.body.related_objects;
      assert.equal(related.person[person.id].name, 'Jane');
      assert.equal(related.person[person.id].active_flag, true);
      assert.deepEqual(related.person[person.id].email, [{ value: 'jane@example.com', primary: true, label: 'work' }]);
      assert.equal(related.user[userId].id, userId);
      assert.equal(related.user[follower.userId].active_flag, true);
      assert.equal(related.organization[org.id].name, 'Acme');
      assert.equal(related.organization[org.id].people_count, 1);
      assert.deepEqual(related.deal[deal.id], { id: deal.id, title: 'Big', status: 'open', value: 10, currency: 'USD', stage_id: deal.stage_id, pipeline_id: deal.pipeline_id });
      assert.equal(typeof deal.stage_id, 'number', 'the deal sits in the default stage');
      assert.deepEqual(flow.body.additional_data, { pagination: { start: 0, limit: 100, more_items_in_collection: false } });
    });

    it('leaves custom field changes out of the flow unless all_changes=1; the changelog always has them', async () => {
      const { api } = await newTenant(server);
      const field = (await api.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'varchar' })).body.data.field_code;
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      await api.patch(`/api/v2/persons/${person.id}`, { job_title: 'CTO', custom_fields: { [field]: 'gold' } }, { 'user-agent': 'Sync/1' });
      const keys = (items: { data: { field_key: string } }[]) => items.map((i) => i.data.field_key);
      assert.deepEqual(keys((await api.get(`/v1/persons/${person.id}/flow`)).body.data), ['job_title']);
      assert.deepEqual(keys((await api.get(`/v1/persons/${person.id}/flow?all_changes=0`)).body.data), ['job_title']);
      assert.deepEqual(keys((await api.get(`/v1/persons/${person.id}/flow?all_changes=1`)).body.data).sort(), [field, 'job_title'].sort());
      const log = (await api.get(`/v1/persons/${person.id}/changelog`)).body.data;
      assert.deepEqual(log.find((c: { field_key: string }) => c.field_key === field), {
        field_key: field, old_value: null, new_value: 'gold', actor_user_id: log[0].actor_user_id, time: log[0].time,
        change_source: 'api', change_source_user_agent: 'Sync/1', is_bulk_update_flag: false,
      });
    });

    it('filters the flow by items and pages it by start and limit', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      for (let i = 1; i <= 3; i += 1) await api.patch(`/api/v2/persons/${person.id}`, { job_title: `Role ${i}` });
      await api.post('/api/v2/deals', { title: 'D', person_id: person.id });
      const base = `/v1/persons/${person.id}/flow`;

      const deals = await api.get(`${base}?items=deal`);
      assert.deepEqual(deals.body.data.map((i: { object: string }) => i.object), ['deal']);
      const changes = await api.get(`${base}?items=personChange&limit=2`);
      assert.deepEqual(changes.body.data.map((i: { data: { new_value: string } }) => i.data.new_value), ['Role 3', 'Role 2']);
      assert.deepEqual(changes.body.additional_data.pagination, { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 });
      const rest = await api.get(`${base}?items=personChange&start=2&limit=2`);
      assert.deepEqual(rest.body.data.map((i: { data: { new_value: string } }) => i.data.new_value), ['Role 1']);
      assert.equal(rest.body.additional_data.pagination.more_items_in_collection, false);
      assert.deepEqual((await api.get(`${base}?items=note`)).body.data, [], 'a known type personsd has no data for');

      const unknown = await api.get(`${base}?items=personChange,bogus`);
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error, /bogus/);
      assert.equal((await api.get(`${base}?all_changes=yes`)).status, 400);
      assert.equal((await api.get(`${base}?limit=0`)).status, 400);
    });
  });
}
