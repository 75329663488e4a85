import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

function assertStatus(res: ApiResponse, status: number, message?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  if (message) assert.match(res.body.error, message);
}

const ids = (res: ApiResponse) => res.body.data.map((a: { id: number }) => a.id);
const COUNTS = 'activities_count,done_activities_count,undone_activities_count,next_activity_id,last_activity_id';

async function counts(api: Api, personId: number) {
  const res = await api.get(`/api/v2/persons/${personId}?include_fields=${COUNTS}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { activities_count, done_activities_count, undone_activities_count, next_activity_id, last_activity_id } = res.body.data;
  return { activities_count, done_activities_count, undone_activities_count, next_activity_id, last_activity_id };
}

for (const backend of testBackends()) {
  describe(`v2 activities [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('adds, reads, updates and deletes an activity with every field', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const jane = (await api.post('/api/v2/persons', { name: 'Jane', org_id: org.id })).body.data;
      const john = (await api.post('/api/v2/persons', { name: 'John' })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Big one', person_id: jane.id })).body.data;
      const created = await api.post('/api/v2/activities', {
        subject: 'Kick-off',
        type: 'meeting',
        deal_id: deal.id,
        org_id: org.id,
        participants: [{ person_id: john.id, primary: false }, { person_id: jane.id, primary: true }],
        due_date: '2026-03-01',
        due_time: '14:30:00',
        duration: '01:00',
        location: { value: '1 Main St, Tallinn', locality: 'Tallinn', country: 'Estonia' },
        attendees: [{ email: 'guest@example.com', name: 'Guest', status: 'accepted' }, { person_id: john.id }],
        public_description: 'Agenda attached',
        priority: 1,
        note: '<p onclick="x()">Bring <b>slides</b><script>alert(1)</script></p>',
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const a = created.body.data;
      assert.equal(a.subject, 'Kick-off');
      assert.equal(a.type, 'meeting');
      assert.equal(a.owner_id, userId);
      assert.equal(a.creator_user_id, userId);
      assert.equal(a.person_id, jane.id, 'the primary participant is the person');
      assert.deepEqual(a.participants, [{ person_id: john.id, primary: false }, { person_id: jane.id, primary: true }]);
      assert.equal(a.due_date, '2026-03-01');
      assert.equal(a.due_time, '14:30:00');
      assert.equal(a.duration, '01:00:00');
      assert.equal(a.busy, true, 'an activity with a time is busy unless said otherwise');
      assert.equal(a.done, false);
      assert.equal(a.marked_as_done_time, null);
      assert.equal(a.location.value, '1 Main St, Tallinn');
      assert.equal(a.location.locality, 'Tallinn');
      assert.equal(a.location.route, null);
      assert.equal(a.attendees.length, 2);
      assert.deepEqual(a.attendees[1], { email: null, name: null, status: null, is_organizer: false, person_id: john.id, user_id: null });
      assert.equal(a.note, '<p>Bring <b>slides</b></p>');
      assert.equal(a.priority, 1);
      assert.equal(a.is_deleted, false);
      assert.match(a.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      const got = (await api.get(`/api/v2/activities/${a.id}`)).body.data;
      assert.equal(got.attendees, undefined, 'attendees only with include_fields=attendees');
      assert.deepEqual((await api.get(`/api/v2/activities/${a.id}?include_fields=attendees`)).body.data, a);

      const patched = await api.patch(`/api/v2/activities/${a.id}`, { done: true, due_time: null, busy: false, person_id: john.id, org_id: null });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const p = patched.body.data;
      assert.equal(p.done, true);
      assert.match(p.marked_as_done_time, /Z$/);
      assert.equal(p.due_time, null);
      assert.equal(p.busy, false);
      assert.equal(p.person_id, john.id);
      assert.deepEqual(p.participants, [{ person_id: john.id, primary: true }], 'person_id alone makes the participants that person');
      assert.equal(p.org_id, null);
      assert.equal(p.subject, 'Kick-off', 'a PATCH changes only what it sends');
      assert.equal((await api.patch(`/api/v2/activities/${a.id}`, { done: false })).body.data.marked_as_done_time, null);

      const defaults = (await api.post('/api/v2/activities', {})).body.data;
      assert.equal(defaults.type, 'call');
      assert.equal(defaults.subject, 'Call');
      assert.equal(defaults.due_date, new Date().toISOString().slice(0, 10));
      assert.equal(defaults.busy, false, 'an all-day activity is free unless said otherwise');

      assert.deepEqual((await api.delete(`/api/v2/activities/${a.id}`)).body, { success: true, data: { id: a.id } });
      assertStatus(await api.get(`/api/v2/activities/${a.id}`), 404);
      assertStatus(await api.patch(`/api/v2/activities/${a.id}`, { subject: 'x' }), 404);
      assertStatus(await api.delete(`/api/v2/activities/${a.id}`), 404);
      assert.deepEqual(ids(await api.get('/api/v2/activities')), [defaults.id]);
    });

    it('lists by owner, person, organization, deal, done, ids and update time, sorted and paged by cursor', async () => {
      const { api, addUser } = await newTenant(server);
      const other = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Deal' })).body.data;
      const add = async (body: Record<string, unknown>) => (await api.post('/api/v2/activities', body)).body.data.id as number;
      const a1 = await add({ subject: 'one', person_id: person.id, due_date: '2026-05-03' });
      const a2 = await add({ subject: 'two', org_id: org.id, due_date: '2026-05-01', done: true });
      const a3 = await add({ subject: 'three', deal_id: deal.id, owner_id: other.userId, due_date: '2026-05-02' });
      assert.deepEqual(ids(await api.get(`/api/v2/activities?person_id=${person.id}`)), [a1]);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?org_id=${org.id}`)), [a2]);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?deal_id=${deal.id}`)), [a3]);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?owner_id=${other.userId}`)), [a3]);
      assert.deepEqual(ids(await api.get('/api/v2/activities?done=true')), [a2]);
      assert.deepEqual(ids(await api.get('/api/v2/activities?done=false')), [a1, a3]);
      assert.deepEqual(ids(await api.get(`/api/v2/activities?ids=${a3},${a1}`)), [a1, a3]);
      assert.deepEqual(ids(await api.get('/api/v2/activities?lead_id=abc')), [], 'personsd stores no leads: nothing is linked to one');
      assert.deepEqual(ids(await api.get('/api/v2/activities?updated_since=2000-01-01T00:00:00Z&updated_until=2999-01-01T00:00:00Z')), [a1, a2, a3]);
      assert.deepEqual(ids(await api.get('/api/v2/activities?updated_since=2999-01-01T00:00:00Z')), []);
      assert.deepEqual(ids(await api.get('/api/v2/activities?sort_by=due_date')), [a2, a3, a1]);
      assert.deepEqual(ids(await api.get('/api/v2/activities?sort_by=due_date&sort_direction=desc')), [a1, a3, a2]);

      const first = await api.get('/api/v2/activities?sort_by=due_date&limit=2');
      assert.deepEqual(ids(first), [a2, a3]);
      const cursor = first.body.additional_data.next_cursor;
      const second = await api.get(`/api/v2/activities?sort_by=due_date&limit=2&cursor=${encodeURIComponent(cursor)}`);
      assert.deepEqual(ids(second), [a1]);
      assert.equal(second.body.additional_data.next_cursor, null);
      assertStatus(await api.get(`/api/v2/activities?sort_by=id&limit=2&cursor=${encodeURIComponent(cursor)}`), 400, /cursor/);
    });

    it('keeps counts and the next and last activity equal to what the lists say while dates move, activities are done and deleted', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const expect = async (want: { total: number; done: number; next: number | null; last: number | null }) => {
        const got = await counts(api, person.id);
        assert.deepEqual(got, {
          activities_count: want.total,
          done_activities_count: want.done,
          undone_activities_count: want.total - want.done,
          next_activity_id: want.next,
          last_activity_id: want.last,
        });
        // The lists say the same.
        assert.equal(ids(await api.get(`/api/v2/activities?person_id=${person.id}`)).length, want.total);
        assert.equal(ids(await api.get(`/api/v2/activities?person_id=${person.id}&done=true`)).length, want.done);
        const listed = (await api.get(`/v1/persons/${person.id}?include_fields=${COUNTS}`)).body.data;
        assert.equal(listed.activities_count, want.total);
        assert.equal(listed.next_activity_id, want.next);
        assert.equal(listed.last_activity_id, want.last);
        const page = (await api.get(`/api/v2/persons?ids=${person.id}&include_fields=${COUNTS}`)).body.data[0];
        assert.deepEqual({ n: page.activities_count, next: page.next_activity_id, last: page.last_activity_id }, { n: want.total, next: want.next, last: want.last });
      };
      await expect({ total: 0, done: 0, next: null, last: null });
      const add = async (due_date: string, due_time?: string) => (await api.post('/api/v2/activities', { person_id: person.id, due_date, due_time })).body.data.id as number;
      const a = await add('2026-06-10');
      const b = await add('2026-06-05', '10:00');
      const c = await add('2026-06-05');
      await expect({ total: 3, done: 0, next: c, last: null });
      await api.patch(`/api/v2/activities/${a}`, { due_date: '2026-06-01' });
      await expect({ total: 3, done: 0, next: a, last: null });
      await api.patch(`/api/v2/activities/${a}`, { done: true });
      await expect({ total: 3, done: 1, next: c, last: a });
      await api.patch(`/api/v2/activities/${b}`, { done: true });
      await expect({ total: 3, done: 2, next: c, last: b });
      await api.patch(`/api/v2/activities/${a}`, { due_date: '2026-07-01' });
      await expect({ total: 3, done: 2, next: c, last: a });
      await api.delete(`/api/v2/activities/${c}`);
      await expect({ total: 2, done: 2, next: null, last: a });
      await api.patch(`/api/v2/activities/${a}`, { person_id: null });
      await expect({ total: 1, done: 1, next: null, last: b });
      await api.delete(`/api/v2/activities/${b}`);
      await expect({ total: 0, done: 0, next: null, last: null });
    });

    it('counts activities and points at the next and last one on organizations and deals too', async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Deal', org_id: org.id })).body.data;
      const empty = (await api.post('/api/v2/organizations', { name: 'Quiet' })).body.data;
      const done = (await api.post('/api/v2/activities', { org_id: org.id, deal_id: deal.id, due_date: '2026-01-01', done: true })).body.data.id;
      const planned = (await api.post('/api/v2/activities', { org_id: org.id, due_date: '2026-02-01' })).body.data.id;
      const pick = (d: any) => [d.activities_count, d.done_activities_count, d.undone_activities_count, d.next_activity_id, d.last_activity_id];
      assert.deepEqual(pick((await api.get(`/api/v2/organizations/${org.id}?include_fields=${COUNTS}`)).body.data), [2, 1, 1, planned, done]);
      const orgs = (await api.get(`/api/v2/organizations?include_fields=${COUNTS}`)).body.data;
      assert.deepEqual(orgs.map(pick), [[2, 1, 1, planned, done], [0, 0, 0, null, null]]);
      assert.equal(orgs[1].id, empty.id);
      assert.deepEqual(pick((await api.get(`/api/v2/deals/${deal.id}?include_fields=${COUNTS}`)).body.data), [1, 1, 0, null, done]);
      assert.deepEqual((await api.get('/api/v2/deals?include_fields=activities_count')).body.data.map((d: any) => [d.activities_count, 'next_activity_id' in d]), [[1, false]]);
      assert.equal('activities_count' in (await api.get(`/api/v2/deals/${deal.id}`)).body.data, false, 'only when asked for');
      assertStatus(await api.get(`/api/v2/organizations/${org.id}?include_fields=attendees`), 400, /unknown field "attendees"/);
      assertStatus(await api.get('/api/v2/deals?include_fields=nonsense'), 400, /unknown field "nonsense"/);
    });

    it('hides activities linked to what the user may not see, in reads, lists and counts', async () => {
      const { api, addUser } = await newTenant(server);
      const user = await addUser();
      const person = (await user.api.post('/api/v2/persons', { name: 'Shared', visible_to: 3 })).body.data;
      const secretDeal = (await api.post('/api/v2/deals', { title: 'Secret', visible_to: 1 })).body.data;
      const open = (await user.api.post('/api/v2/activities', { person_id: person.id })).body.data;
      const hidden = (await api.post('/api/v2/activities', { person_id: person.id, deal_id: secretDeal.id })).body.data;
      assert.deepEqual(ids(await user.api.get('/api/v2/activities')), [open.id]);
      assertStatus(await user.api.get(`/api/v2/activities/${hidden.id}`), 404);
      assertStatus(await user.api.patch(`/api/v2/activities/${hidden.id}`, { subject: 'x' }), 404);
      assertStatus(await user.api.delete(`/api/v2/activities/${hidden.id}`), 404);
      assert.equal((await counts(user.api, person.id)).activities_count, 1);
      assert.equal((await counts(api, person.id)).activities_count, 2);
      assertStatus(await user.api.post('/api/v2/activities', { deal_id: secretDeal.id }), 400, /deal_id/);
    });

    it('leaves no live activity on a person deleted while activities are written to link it', async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Stays' })).body.data.id as number;
      for (let round = 0; round < 4; round++) {
        const person = (await api.post('/api/v2/persons', { name: `Linked ${round}` })).body.data.id as number;
        // Already linked: the delete locks the person, then this activity; a PATCH must not hold it while it waits.
        const existing = (await api.post('/api/v2/activities', { org_id: org, person_id: person })).body.data.id as number;
        const responses = await Promise.all([
          ...Array.from({ length: 3 }, () => api.post('/api/v2/activities', { person_id: person })),
          ...Array.from({ length: 3 }, (_, i) => api.patch(`/api/v2/activities/${existing}`, { participants: [{ person_id: person, primary: true }], subject: `try ${i}` })),
          api.delete(`/api/v2/persons/${person}`),
        ]);
        // A link either lands before the delete (and is undone by it) or finds the person gone (400); never a deadlock.
        assert.ok(responses.slice(0, 6).every((r) => r.status === 200 || r.status === 400), JSON.stringify(responses.map((r) => r.status)));
        assert.equal(responses[6].status, 200);
        assert.deepEqual(ids(await api.get(`/api/v2/activities?person_id=${person}`)), []);
        assert.deepEqual((await api.get(`/api/v2/activities/${existing}`)).body.data.participants, []);
      }
    });

    it('describes the activity fields: GET /api/v2/activityFields and /{field_code}, paged by cursor', async () => {
      const { api } = await newTenant(server);
      const all = await api.get('/api/v2/activityFields?limit=500');
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const codes = all.body.data.map((f: { field_code: string }) => f.field_code);
      for (const code of ['subject', 'type', 'due_date', 'owner_id', 'person_id', 'busy', 'location', 'priority']) assert.ok(codes.includes(code), code);
      const activity = (await api.post('/api/v2/activities', { subject: 'x', due_date: '2026-01-01' })).body.data;
      for (const code of codes) assert.ok(code in activity, `${code} is a field of every activity`);
      const priority = all.body.data.find((f: { field_code: string }) => f.field_code === 'priority');
      assert.deepEqual(priority.options.map((o: { label: string }) => o.label), ['High', 'Medium', 'Low']);
      assert.equal(priority.ui_visibility, undefined, 'ui_visibility only when asked for');
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await api.get(`/api/v2/activityFields?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        paged.push(...page.body.data.map((f: { field_code: string }) => f.field_code));
        cursor = page.body.additional_data.next_cursor;
      } while (cursor);
      assert.deepEqual(paged, codes);
      const location = await api.get('/api/v2/activityFields/location?include_fields=ui_visibility');
      assert.equal(location.body.data.field_type, 'address');
      assert.ok(location.body.data.subfields.some((s: { field_code: string }) => s.field_code === 'locality'));
      assert.deepEqual(location.body.data.ui_visibility, { add_visible_flag: true, details_visible_flag: true });
      assertStatus(await api.get('/api/v2/activityFields/nope'), 404, /Activity field not found/);
      assertStatus(await api.get('/api/v2/activityFields?include_fields=required_fields'), 400, /unknown field/);
    });

    it('refuses bad input with a clear 400 or 404 and changes nothing', async () => {
      const { api } = await newTenant(server);
      const other = await newTenant(server);
      const foreignPerson = (await other.api.post('/api/v2/persons', { name: 'Theirs' })).body.data;
      const foreign = (await other.api.post('/api/v2/activities', { person_id: foreignPerson.id })).body.data;
      const mine = (await api.post('/api/v2/activities', { subject: 'Mine' })).body.data;
      for (const [body, message] of [
        [{ type: 'telepathy' }, /type "telepathy"/],
        [{ due_date: '2026-02-30' }, /due_date/],
        [{ due_date: '01.02.2026' }, /due_date/],
        [{ due_time: '25:00' }, /due_time/],
        [{ due_time: '10:00:30' }, /due_time/],
        [{ duration: '1h' }, /duration/],
        [{ person_id: foreignPerson.id }, /person_id/],
        [{ participants: [{ person_id: foreignPerson.id }] }, /person_id/],
        [{ org_id: 999_999 }, /org_id/],
        [{ deal_id: 999_999 }, /deal_id/],
        [{ owner_id: 999_999 }, /owner_id/],
        [{ lead_id: 'abc' }, /lead/],
        [{ priority: 77 }, /priority/],
        [{ subject: '   ' }, /subject/],
        [{ participants: [{ person_id: 1, primary: true }, { person_id: 2, primary: true }] }, /primary/],
        [{ attendees: [{ name: 'No address' }] }, /attendees/],
        [{ attendees: [{ email: 'not-an-address' }] }, /attendees/],
        [{ location: { planet: 'Mars' } }, /location/],
        [{ unknown_field: 1 }, /unknown_field|additional/],
        [{ done: 'yes' }, /done/],
      ] as const) {
        assertStatus(await api.post('/api/v2/activities', body), 400, message);
        assertStatus(await api.patch(`/api/v2/activities/${mine.id}`, body), 400, message);
      }
      assert.deepEqual((await api.get(`/api/v2/activities/${mine.id}`)).body.data.subject, 'Mine');
      assert.deepEqual(ids(await api.get('/api/v2/activities')), [mine.id]);
      assertStatus(await api.get(`/api/v2/activities/${foreign.id}`), 404);
      assertStatus(await api.patch(`/api/v2/activities/${foreign.id}`, { subject: 'x' }), 404);
      assertStatus(await api.delete(`/api/v2/activities/${foreign.id}`), 404);
      assertStatus(await api.get('/api/v2/activities/abc'), 400);
      assertStatus(await api.get('/api/v2/activities?filter_id=987654'), 404, /Filter not found/);
      assertStatus(await api.get('/api/v2/activities?sort_by=subject'), 400);
      assertStatus(await api.get('/api/v2/activities?done=maybe'), 400);
      assertStatus(await api.get('/api/v2/activities?updated_since=yesterday'), 400, /updated_since/);
      assertStatus(await api.get('/api/v2/activities?include_fields=notes'), 400, /include_fields/);
      assertStatus(await api.get(`/api/v2/activities?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`), 400, /ids/);
      assertStatus(await api.get('/api/v2/activities?cursor=garbage'), 400, /cursor/);
      assert.equal((await other.api.get(`/api/v2/activities/${foreign.id}`)).body.data.person_id, foreignPerson.id);
    });
  });
}
