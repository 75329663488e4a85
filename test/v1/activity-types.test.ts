import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

function assertStatus(res: ApiResponse, status: number, message?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  if (message) assert.match(res.body.error, message);
}

for (const backend of testBackends()) {
  describe(`v1 activity types and fields [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('starts every company with the default types; admins add, rename and delete types, in bulk too', async () => {
      const { api, addUser } = await newTenant(server);
      const regular = await addUser();
      const listed = (await regular.api.get('/v1/activityTypes')).body.data;
      assert.deepEqual(listed.map((t: { key_string: string }) => t.key_string), ['call', 'meeting', 'task', 'deadline', 'email', 'lunch']);
      assert.deepEqual(Object.keys(listed[0]).sort(), ['active_flag', 'add_time', 'color', 'icon_key', 'id', 'is_custom_flag', 'key_string', 'name', 'order_nr', 'update_time']);
      assert.equal(listed[0].is_custom_flag, false);

      const created = await api.post('/v1/activityTypes', { name: 'Video call', icon_key: 'camera', color: 'ff0000' });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const video = created.body.data;
      assert.equal(video.key_string, 'video_call');
      assert.equal(video.color, 'FF0000');
      assert.equal(video.is_custom_flag, true);
      assert.equal(video.order_nr, 7);
      assert.equal((await api.post('/v1/activityTypes', { name: 'Video call', icon_key: 'camera' })).body.data.key_string, 'video_call_2');
      const activity = await regular.api.post('/api/v2/activities', { type: 'video_call' });
      assert.equal(activity.body.data.subject, 'Video call');

      const renamed = await api.put(`/v1/activityTypes/${video.id}`, { name: 'Zoom', order_nr: 1 });
      assert.equal(renamed.body.data.name, 'Zoom');
      assert.equal(renamed.body.data.key_string, 'video_call', 'the key activities name stays');
      assertStatus(await regular.api.post('/v1/activityTypes', { name: 'Mine', icon_key: 'task' }), 403);
      assertStatus(await regular.api.put(`/v1/activityTypes/${video.id}`, { name: 'x' }), 403);
      assertStatus(await regular.api.delete(`/v1/activityTypes/${video.id}`), 403);

      const deleted = await api.delete(`/v1/activityTypes/${video.id}`);
      assert.equal(deleted.body.data.active_flag, false);
      assertStatus(await api.post('/api/v2/activities', { type: 'video_call' }), 400, /type "video_call"/);
      assert.equal((await api.get(`/api/v2/activities/${activity.body.data.id}`)).body.data.type, 'video_call', 'existing activities keep their type');
      assertStatus(await api.delete(`/v1/activityTypes/${video.id}`), 404);

      const lunch = listed.find((t: { key_string: string }) => t.key_string === 'lunch').id;
      const deadline = listed.find((t: { key_string: string }) => t.key_string === 'deadline').id;
      assertStatus(await api.delete(`/v1/activityTypes?ids=${lunch},999999`), 404);
      assert.deepEqual((await api.delete(`/v1/activityTypes?ids=${lunch},${deadline}`)).body, { success: true, data: { id: [lunch, deadline] } });
      const active = (await api.get('/v1/activityTypes')).body.data.filter((t: { active_flag: boolean }) => t.active_flag).map((t: { key_string: string }) => t.key_string);
      assert.deepEqual(active, ['call', 'meeting', 'task', 'email', 'video_call_2']);

      const other = await newTenant(server);
      assertStatus(await other.api.put(`/v1/activityTypes/${listed[0].id}`, { name: 'x' }), 404);
      assert.equal((await other.api.get('/v1/activityTypes')).body.data.length, 6);
    });

    it('refuses bad activity types', async () => {
      const { api } = await newTenant(server);
      assertStatus(await api.post('/v1/activityTypes', { name: 'No icon' }), 400);
      assertStatus(await api.post('/v1/activityTypes', { name: 'X', icon_key: 'unicorn' }), 400);
      assertStatus(await api.post('/v1/activityTypes', { name: 'X', icon_key: 'task', color: 'red' }), 400, /color/);
      assertStatus(await api.post('/v1/activityTypes', { name: '  ', icon_key: 'task' }), 400, /name/);
      assertStatus(await api.put('/v1/activityTypes/999999', { name: 'x' }), 404);
      assertStatus(await api.put('/v1/activityTypes/abc', { name: 'x' }), 400);
      assertStatus(await api.delete('/v1/activityTypes?ids=abc'), 400);
      assert.equal((await api.get('/v1/activityTypes')).body.data.length, 6);
    });

    it('lists the activity fields, with the priority options activities accept', async () => {
      const { api } = await newTenant(server);
      const res = await api.get('/v1/activityFields');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const keys = res.body.data.map((f: { key: string }) => f.key);
      for (const key of ['subject', 'type', 'due_date', 'due_time', 'duration', 'user_id', 'person_id', 'org_id', 'deal_id', 'done', 'note', 'priority']) assert.ok(keys.includes(key), key);
      const priority = res.body.data.find((f: { key: string }) => f.key === 'priority');
      assert.equal(priority.field_type, 'enum');
      const option = priority.options[0].id;
      assert.equal((await api.post('/api/v2/activities', { priority: option })).body.data.priority, option);
      assert.equal(res.body.additional_data.pagination.more_items_in_collection, false);
    });
  });
}
