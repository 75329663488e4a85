import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { v1 as v1of24 } from 'pipedrive-v24';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official client: ActivitiesApi, ActivityTypesApi, ActivityFieldsApi [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('v2 ActivitiesApi: add, list with filters and cursor, get with attendees, update, delete; counts on the person', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const activities = new v2.ActivitiesApi(client.v2);
      const { data: person } = await new v2.PersonsApi(client.v2).addPerson({ AddPersonRequest: { name: 'Jane' } });

      const added = await activities.addActivity({
        AddActivityRequest: {
          subject: 'Call Jane',
          type: 'call',
          person_id: person!.id,
          due_date: '2026-02-01',
          due_time: '10:00',
          duration: '00:30',
          attendees: [{ email: 'guest@example.com', name: 'Guest' }],
          location: { value: 'Tallinn' },
        },
      });
      assert.equal(suite.traffic.last().path, '/api/v2/activities');
      assert.equal(added.data!.subject, 'Call Jane');
      assert.equal(added.data!.due_time, '10:00:00');
      assert.equal(added.data!.location!.value, 'Tallinn');
      const later = await activities.addActivity({ AddActivityRequest: { person_id: person!.id, due_date: '2026-03-01' } });

      const page = await activities.getActivities({ person_id: person!.id, done: false, sort_by: 'due_date', limit: 1 });
      assert.equal(suite.traffic.last().query.get('done'), 'false');
      assert.deepEqual(page.data!.map((a) => a.id), [added.data!.id]);
      const next = await activities.getActivities({ person_id: person!.id, done: false, sort_by: 'due_date', limit: 1, cursor: page.additional_data!.next_cursor! });
      assert.deepEqual(next.data!.map((a) => a.id), [later.data!.id]);

      const withAttendees = await activities.getActivity({ id: added.data!.id!, include_fields: 'attendees' });
      assert.equal(withAttendees.data!.attendees![0].email, 'guest@example.com');
      const updated = await activities.updateActivity({ id: added.data!.id!, AddActivityRequest: { done: true } });
      assert.equal(suite.traffic.last().method, 'PATCH');
      assert.equal(updated.data!.done, true);

      const counted = await new v2.PersonsApi(client.v2).getPerson({ id: person!.id!, include_fields: 'activities_count,done_activities_count,next_activity_id,last_activity_id' as any });
      const data = counted.data as Record<string, unknown>;
      assert.deepEqual([data.activities_count, data.done_activities_count, data.next_activity_id, data.last_activity_id], [2, 1, later.data!.id, added.data!.id]);

      const deleted = await activities.deleteActivity({ id: later.data!.id! });
      assert.equal(deleted.data!.id, later.data!.id);
      const missing = await clientError(activities.getActivity({ id: later.data!.id! }));
      assert.equal(suite.traffic.last().status, 404);
      assert.match(missing.error, /Activity not found/);
      const refused = await clientError(activities.addActivity({ AddActivityRequest: { type: 'telepathy' } }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(refused.error, /telepathy/);
    });

    it('v1 ActivityTypesApi and ActivityFieldsApi of the current client', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const types = new v1.ActivityTypesApi(client.v1);
      const listed = await types.getActivityTypes();
      assert.deepEqual(listed.data!.map((t) => t.key_string), ['call', 'meeting', 'task', 'deadline', 'email', 'lunch']);
      const added = await types.addActivityType({ AddActivityTypeRequest: { name: 'Site visit', icon_key: 'car' } });
      assert.equal(added.data!.key_string, 'site_visit');
      const updated = await types.updateActivityType({ id: added.data!.id!, UpdateActivityTypeRequest: { color: 'ABCDEF' } });
      assert.equal(updated.data!.color, 'ABCDEF');
      const removed = await types.deleteActivityType({ id: added.data!.id! });
      assert.equal(removed.data!.active_flag, false);
      const fields = await new v1.ActivityFieldsApi(client.v1).getActivityFields();
      assert.ok(fields.data!.some((f) => f.key === 'due_date'));
      const v2fields = new v2.ActivityFieldsApi(client.v2);
      const page = await v2fields.getActivityFields({ include_fields: 'ui_visibility', limit: 3 });
      assert.equal(suite.traffic.last().path, '/api/v2/activityFields');
      assert.equal(page.data!.length, 3);
      assert.ok(page.data!.every((f) => f.ui_visibility?.add_visible_flag === true));
      const rest = await v2fields.getActivityFields({ cursor: page.additional_data!.next_cursor! });
      assert.ok(rest.data!.some((f) => f.field_code === 'owner_id'));
      const location = await v2fields.getActivityField({ field_code: 'location' });
      assert.equal(location.data!.field_type, 'address');
    });

    it('v2 ActivitiesApi lists through a saved activity filter (FiltersApi)', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const activities = new v2.ActivitiesApi(client.v2);
      const call = await activities.addActivity({ AddActivityRequest: { subject: 'Call back', type: 'call', due_date: '2026-01-05' } });
      await activities.addActivity({ AddActivityRequest: { subject: 'Lunch', type: 'lunch', due_date: '2026-01-06' } });
      const conditions = { glue: 'and', conditions: [{ glue: 'and', conditions: [{ object: 'activity', field_id: 'type', operator: '=', value: 'call', extra_value: null }] }, { glue: 'or', conditions: [] }] };
      const filter = await new v1.FiltersApi(client.v1).addFilter({ AddFilterRequest: { name: 'Calls', type: 'activity', conditions } });
      const listed = await activities.getActivities({ filter_id: filter.data!.id! });
      assert.equal(suite.traffic.last().query.get('filter_id'), String(filter.data!.id));
      assert.deepEqual(listed.data!.map((a) => a.id), [call.data!.id]);
    });

    it('v1 ActivitiesApi of pipedrive 24.x (the current major dropped it): add, list, get, update, bulk delete', async () => {
      const tenant = await newTenant(suite.server);
      const api = new v1of24.ActivitiesApi(new v1of24.Configuration({ apiKey: tenant.token, basePath: `${suite.server.url}/api/v1` }));
      const added = await api.addActivity({ AddActivityRequest: { subject: 'Lunch', type: 'lunch', due_date: '2026-02-02', due_time: '12:00', done: 0 } as any });
      assert.equal(added.data!.subject, 'Lunch');
      assert.equal(added.data!.due_time, '12:00');
      const second = await api.addActivity({ AddActivityRequest: { type: 'task', due_date: '2026-02-03' } as any });
      const listed = await api.getActivities({ type: 'lunch,task', start: 0, limit: 10, done: 0 });
      assert.deepEqual(listed.data!.map((a) => a.id), [added.data!.id, second.data!.id]);
      assert.equal((await api.getActivity({ id: second.data!.id! })).data!.subject, 'Task');
      const updated = await api.updateActivity({ id: second.data!.id!, UpdateActivityRequest: { done: 1 } as any });
      assert.equal(updated.data!.done, true);
      const removed = await api.deleteActivities({ ids: `${added.data!.id},${second.data!.id}` });
      assert.deepEqual(removed.data!.id, [added.data!.id, second.data!.id]);
      assert.deepEqual((await api.getActivities({})).data ?? [], []);
    });
  });
}
