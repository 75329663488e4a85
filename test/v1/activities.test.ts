import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

function assertStatus(res: ApiResponse, status: number, message?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  if (message) assert.match(res.body.error, message);
}

const ids = (res: ApiResponse) => res.body.data.map((a: { id: number }) => a.id);
const flowIds = (res: ApiResponse) => res.body.data.map((i: { object: string; data: { id: number } }) => `${i.object} ${i.data.id}`);

for (const backend of testBackends()) {
  describe(`v1 activities [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('adds, reads, updates and deletes an activity in the v1 shape', async () => {
      const { api, userId, companyId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Jane Doe', org_id: org.id })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Big one' })).body.data;
      const created = await api.post('/v1/activities', {
        subject: 'Call Jane',
        type: 'call',
        person_id: person.id,
        org_id: org.id,
        deal_id: deal.id,
        due_date: '2026-04-01',
        due_time: '09:15',
        duration: '00:30',
        location: 'Tallinn',
        busy_flag: false,
        done: 0,
        note: '<p>Ask about <i>renewal</i><img src=x onerror=alert(1)></p>',
        attendees: [{ email_address: 'guest@example.com', is_organizer: 1 }],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const a = created.body.data;
      assert.equal(a.company_id, companyId);
      assert.equal(a.user_id, userId);
      assert.equal(a.assigned_to_user_id, userId);
      assert.equal(a.created_by_user_id, userId);
      assert.equal(a.type, 'call');
      assert.equal(a.due_time, '09:15');
      assert.equal(a.duration, '00:30');
      assert.equal(a.busy_flag, false);
      assert.equal(a.done, false);
      assert.equal(a.marked_as_done_time, '');
      assert.equal(a.location, 'Tallinn');
      assert.equal(a.note, '<p>Ask about <i>renewal</i><img src="x" /></p>');
      assert.deepEqual(a.participants, [{ person_id: person.id, primary_flag: true }]);
      assert.equal(a.attendees[0].email, 'guest@example.com');
      assert.equal(a.attendees[0].is_organizer, true);
      assert.equal(a.person_name, 'Jane Doe');
      assert.equal(a.org_name, 'Acme');
      assert.equal(a.deal_title, 'Big one');
      assert.equal(a.owner_name, 'Test Admin');
      assert.equal(a.active_flag, true);
      assert.match(a.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.deepEqual((await api.get(`/v1/activities/${a.id}`)).body, { success: true, data: a });

      const updated = await api.put(`/v1/activities/${a.id}`, { done: 1, due_time: '', deal_id: null, participants: [{ person_id: person.id, primary_flag: true }] });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.data.done, true);
      assert.match(updated.body.data.marked_as_done_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(updated.body.data.due_time, '');
      assert.equal(updated.body.data.deal_id, null);
      assert.equal(updated.body.data.deal_title, null);
      assert.equal(updated.body.data.subject, 'Call Jane');
      assert.equal(updated.body.data.update_user_id, userId);

      assert.deepEqual((await api.delete(`/v1/activities/${a.id}`)).body, { success: true, data: { id: a.id } });
      assertStatus(await api.get(`/v1/activities/${a.id}`), 404);
      assertStatus(await api.put(`/v1/activities/${a.id}`, { subject: 'x' }), 404);
    });

    it("lists the caller's activities by default, everyone's with user_id=0, by type, due dates and done; a record's activities", async () => {
      const { api, addUser } = await newTenant(server);
      const other = await addUser();
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Deal' })).body.data;
      const add = async (body: Record<string, unknown>) => (await api.post('/v1/activities', body)).body.data.id as number;
      const mine1 = await add({ type: 'call', due_date: '2026-01-03', person_id: person.id });
      const mine2 = await add({ type: 'email', due_date: '2026-01-01', due_time: '08:00', person_id: person.id, done: 1 });
      const mine3 = await add({ type: 'email', due_date: '2026-01-01', org_id: org.id });
      const theirs = await add({ type: 'task', due_date: '2026-01-02', user_id: other.userId, deal_id: deal.id });
      assert.deepEqual(ids(await api.get('/v1/activities')), [mine3, mine2, mine1], 'by due date, all-day first on its day');
      assert.deepEqual(ids(await api.get('/v1/activities?user_id=0')), [mine3, mine2, theirs, mine1]);
      assert.deepEqual(ids(await api.get(`/v1/activities?user_id=${other.userId}`)), [theirs]);
      assert.deepEqual(ids(await api.get('/v1/activities?type=email,task&user_id=0')), [mine3, mine2, theirs]);
      assert.deepEqual(ids(await api.get('/v1/activities?start_date=2026-01-02&end_date=2026-01-03&user_id=0')), [theirs, mine1]);
      assert.deepEqual(ids(await api.get('/v1/activities?done=1')), [mine2]);
      const paged = await api.get('/v1/activities?start=1&limit=1');
      assert.deepEqual(ids(paged), [mine2]);
      assert.deepEqual(paged.body.additional_data.pagination, { start: 1, limit: 1, more_items_in_collection: true, next_start: 2 });

      assert.deepEqual(ids(await api.get(`/v1/persons/${person.id}/activities`)), [mine2, mine1]);
      assert.deepEqual(ids(await api.get(`/v1/persons/${person.id}/activities?done=0`)), [mine1]);
      assert.deepEqual(ids(await api.get(`/v1/persons/${person.id}/activities?exclude=${mine1}`)), [mine2]);
      assert.deepEqual(ids(await api.get(`/v1/organizations/${org.id}/activities`)), [mine3]);
      assert.deepEqual(ids(await api.get(`/v1/deals/${deal.id}/activities`)), [theirs]);
      assertStatus(await api.get('/v1/persons/999999/activities'), 404, /Person not found/);
      assertStatus(await api.get('/v1/organizations/999999/activities'), 404, /Organization not found/);
      assertStatus(await api.get('/v1/deals/999999/activities'), 404, /Deal not found/);
      const stranger = await newTenant(server);
      assertStatus(await stranger.api.get(`/v1/persons/${person.id}/activities`), 404);
      assertStatus(await stranger.api.get(`/v1/activities/${mine1}`), 404);
      assert.deepEqual(ids(await stranger.api.get('/v1/activities?user_id=0')), []);
    });

    it('deletes in bulk all or none', async () => {
      const { api } = await newTenant(server);
      const other = await newTenant(server);
      const a = (await api.post('/v1/activities', {})).body.data.id;
      const b = (await api.post('/v1/activities', {})).body.data.id;
      const foreign = (await other.api.post('/v1/activities', {})).body.data.id;
      assertStatus(await api.delete(`/v1/activities?ids=${a},${foreign}`), 404, /Activity not found/);
      assert.deepEqual(ids(await api.get('/v1/activities')), [a, b]);
      assertStatus(await api.delete('/v1/activities?ids=x'), 400);
      assertStatus(await api.delete('/v1/activities'), 400);
      assert.deepEqual((await api.delete(`/v1/activities?ids=${a},${b}`)).body, { success: true, data: { id: [a, b] } });
      assert.deepEqual(ids(await api.get('/v1/activities')), []);
      assert.equal((await other.api.get(`/v1/activities/${foreign}`)).status, 200);
    });

    it("lists every user's activities by cursor for admins: GET /v1/activities/collection", async () => {
      const tenant = await newTenant(server);
      const { api, userId } = tenant;
      const member = await tenant.addUser();
      const add = async (body: Record<string, unknown>) => (await api.post('/api/v2/activities', { due_date: '2026-02-01', ...body })).body.data.id as number;
      const mine = await add({ subject: 'Mine', type: 'call', location: { value: 'Main St 1', locality: 'Springfield' } });
      const theirs = await add({ subject: 'Theirs', type: 'meeting', owner_id: member.userId, done: true });
      const third = await add({ subject: 'Third', type: 'call' });
      const seen: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      do {
        const page = await api.get(`/v1/activities/collection?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        seen.push(...page.body.data);
        cursor = page.body.additional_data.next_cursor;
      } while (cursor);
      assert.deepEqual(seen.map((a) => a.id), [mine, theirs, third]);
      assert.deepEqual([seen[0].user_id, seen[0].type, seen[0].location, seen[0].location_locality, seen[0].active_flag, seen[1].done], [userId, 'call', 'Main St 1', 'Springfield', true, true]);
      assert.equal('note' in seen[0], false, 'the collection shape, not the full v1 activity');
      assert.deepEqual(ids(await api.get(`/v1/activities/collection?user_id=${member.userId}`)), [theirs]);
      assert.deepEqual(ids(await api.get('/v1/activities/collection?done=false&type=call')), [mine, third]);
      assert.deepEqual(ids(await api.get('/v1/activities/collection?until=2020-01-01T00:00:00Z')), []);
      assertStatus(await api.get('/v1/activities/collection?since=yesterday'), 400, /since/);
      assertStatus(await member.api.get('/v1/activities/collection'), 403, /admins/);
    });

    it('refuses bad v1 input and changes nothing', async () => {
      const { api } = await newTenant(server);
      const mine = (await api.post('/v1/activities', { subject: 'Mine' })).body.data;
      for (const [body, message] of [
        [{ type: 'nope' }, /type "nope"/],
        [{ due_date: '2026-13-01' }, /due_date/],
        [{ due_time: '9am' }, /due_time/],
        [{ user_id: 999_999 }, /owner_id/],
        [{ person_id: 999_999 }, /person_id/],
        [{ done: 2 }, /done/],
        [{ project_id: 5 }, /projects/],
        [{ attendees: [{ person_id: 999_999 }] }, /attendees/],
        [{ participants: [{ person_id: 999_999, primary_flag: true }] }, /person_id/],
      ] as const) {
        assertStatus(await api.post('/v1/activities', body), 400, message);
        assertStatus(await api.put(`/v1/activities/${mine.id}`, body), 400, message);
      }
      assertStatus(await api.get('/v1/activities?filter_id=987654'), 404, /Filter not found/);
      assertStatus(await api.get('/v1/activities?start_date=yesterday'), 400, /start_date/);
      assertStatus(await api.get('/v1/activities?done=5'), 400);
      assertStatus(await api.get('/v1/activities?limit=501'), 400);
      assert.deepEqual(ids(await api.get('/v1/activities')), [mine.id]);
      assert.equal((await api.get(`/v1/activities/${mine.id}`)).body.data.subject, 'Mine');
    });

    it("shows a person's activities in its flow, moves them on a merge and back on an unmerge, and deletes them with the person", async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const merged = (await api.post('/api/v2/persons', { name: 'Jane Doe' })).body.data;
      const survivor = (await api.post('/api/v2/persons', { name: 'Jane D' })).body.data;
      const planned = (await api.post('/v1/activities', { person_id: merged.id })).body.data.id;
      const done = (await api.post('/v1/activities', { person_id: merged.id, done: 1 })).body.data.id;
      const own = (await api.post('/v1/activities', { person_id: survivor.id, org_id: org.id })).body.data.id;
      const third = (await api.post('/api/v2/persons', { name: 'Joe' })).body.data;
      const participants = (a: number) => api.get(`/api/v2/activities/${a}`).then((r) => r.body.data.participants);
      const shared = (await api.post('/v1/activities', { participants: [{ person_id: third.id, primary_flag: true }, { person_id: merged.id }] })).body.data.id;
      assert.deepEqual(flowIds(await api.get(`/v1/persons/${merged.id}/flow?items=activity,plannedActivity`)), [`activity ${done}`, `plannedActivity ${planned}`]);
      assert.deepEqual(flowIds(await api.get(`/v1/persons/${merged.id}/flow?items=plannedActivity`)), [`plannedActivity ${planned}`]);
      assert.ok(flowIds(await api.get(`/v1/persons/${merged.id}/flow`)).includes(`activity ${done}`));

      assert.equal((await api.put(`/v1/persons/${merged.id}/merge`, { merge_with_id: survivor.id })).status, 200);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?person_id=${survivor.id}`)), [planned, done, own]);
      assert.deepEqual((await api.get(`/api/v2/activities/${planned}`)).body.data.participants, [{ person_id: survivor.id, primary: true }]);
      assert.equal((await api.get(`/api/v2/persons/${survivor.id}?include_fields=activities_count`)).body.data.activities_count, 3);
      assert.deepEqual(await participants(shared), [{ person_id: third.id, primary: true }, { person_id: survivor.id, primary: false }], 'a participant too');

      assert.equal((await api.post(`/api/v2/persons/${survivor.id}/unmerge`)).status, 200);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?person_id=${merged.id}`)), [planned, done]);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?person_id=${survivor.id}`)), [own]);
      assert.deepEqual(await participants(shared), [{ person_id: third.id, primary: true }, { person_id: merged.id, primary: false }]);

      // Deleting a person deletes its activities, except those also about an organization or a deal.
      assert.equal((await api.delete(`/api/v2/persons/${survivor.id}`)).status, 200);
      const kept = (await api.get(`/api/v2/activities/${own}`)).body.data;
      assert.equal(kept.person_id, null);
      assert.deepEqual(kept.participants, []);
      assert.equal((await api.delete(`/api/v2/persons/${merged.id}`)).status, 200);
      assertStatus(await api.get(`/api/v2/activities/${planned}`), 404);
      assert.deepEqual(await participants(shared), [{ person_id: third.id, primary: true }], 'a deleted person leaves the participants');
      // The primary participant deleted: the next one takes its place rather than the activity going.
      const fourth = (await api.post('/api/v2/persons', { name: 'Ann' })).body.data;
      const pair = (await api.post('/v1/activities', { participants: [{ person_id: third.id, primary_flag: true }, { person_id: fourth.id }] })).body.data.id;
      assert.equal((await api.delete(`/api/v2/persons/${third.id}`)).status, 200);
      assert.deepEqual(await participants(pair), [{ person_id: fourth.id, primary: true }]);
      assert.equal((await api.get(`/api/v2/activities/${pair}`)).body.data.person_id, fourth.id);
      assertStatus(await api.get(`/api/v2/activities/${shared}`), 404, /Activity not found/);
      assert.deepEqual(ids(await api.get('/api/v2/activities')), [own, pair]);
    });
  });
}
