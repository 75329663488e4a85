import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** A 400 in the error envelope whose message matches `message`. */
function assertInvalid(res: ApiResponse, message: RegExp): void {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  assert.match(res.body.error, message);
}

const ids = (res: ApiResponse) => res.body.data.map((n: { id: number }) => n.id);

async function personWithNote(api: Api, name = 'Jane Doe') {
  const person = (await api.post('/api/v2/persons', { name })).body.data;
  const note = (await api.post('/v1/notes', { content: `<p>About ${name}</p>`, person_id: person.id })).body.data;
  return { person, note };
}

for (const backend of testBackends()) {
  describe(`v1 notes [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('adds, reads, updates and deletes a note attached to a person, an organization and a deal', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Jane Doe', org_id: org.id })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Big one', person_id: person.id })).body.data;
      const created = await api.post('/v1/notes', { content: '<p>Met at <b>the fair</b></p>', person_id: person.id, org_id: org.id, deal_id: deal.id, pinned_to_person_flag: 1 });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const note = created.body.data;
      assert.equal(note.content, '<p>Met at <b>the fair</b></p>');
      assert.equal(note.person_id, person.id);
      assert.equal(note.org_id, org.id);
      assert.equal(note.deal_id, deal.id);
      assert.equal(note.user_id, userId);
      assert.equal(note.last_update_user_id, userId);
      assert.equal(note.active_flag, true);
      assert.equal(note.pinned_to_person_flag, true);
      assert.equal(note.pinned_to_deal_flag, false);
      assert.deepEqual(note.person, { name: 'Jane Doe' });
      assert.deepEqual(note.organization, { name: 'Acme' });
      assert.deepEqual(note.deal, { title: 'Big one' });
      assert.equal(note.user.is_you, true);
      assert.match(note.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

      assert.deepEqual((await api.get(`/v1/notes/${note.id}`)).body, { success: true, data: note });

      const updated = await api.put(`/v1/notes/${note.id}`, { content: '<p>Met twice</p>', org_id: null, pinned_to_deal_flag: 1 });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.data.content, '<p>Met twice</p>');
      assert.equal(updated.body.data.org_id, null);
      assert.equal(updated.body.data.organization, null);
      assert.equal(updated.body.data.pinned_to_deal_flag, true);
      assert.equal(updated.body.data.pinned_to_person_flag, true, 'a PUT changes only what it sends');

      assert.deepEqual((await api.delete(`/v1/notes/${note.id}`)).body, { success: true, data: true });
      assert.equal((await api.get(`/v1/notes/${note.id}`)).status, 404);
      assert.equal((await api.put(`/v1/notes/${note.id}`, { content: 'x' })).status, 404);
      assert.equal((await api.delete(`/v1/notes/${note.id}`)).status, 404);
      assert.deepEqual(ids(await api.get('/v1/notes')), []);
    });

    it('stores hostile HTML defused: no scripts, event handlers, frames or javascript: URLs', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const hostile =
        '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">one</a> <a href="https://example.com" target="_blank">two</a></p>' +
        '<img src="x" onerror="alert(3)"><iframe src="https://evil.example"></iframe><style>body{display:none}</style>' +
        '<svg onload="alert(4)"></svg><form action="https://evil.example"><input name="a"></form><ul><li>kept</li></ul>';
      const note = (await api.post('/v1/notes', { content: hostile, person_id: person.id })).body.data;
      for (const text of [note.content, (await api.get(`/v1/notes/${note.id}`)).body.data.content]) {
        assert.doesNotMatch(text, /<script|alert|onclick|onerror|onload|javascript:|<iframe|<style|<svg|<form|<input/i);
        assert.match(text, /^<p>Hello <a rel="noopener noreferrer">one<\/a> <a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer">two<\/a><\/p>/);
        assert.match(text, /<img src="x" \/><ul><li>kept<\/li><\/ul>$/);
      }
      const updated = (await api.put(`/v1/notes/${note.id}`, { content: '<b onmouseover="x()">bold</b>' })).body.data;
      assert.equal(updated.content, '<b>bold</b>');

      assertInvalid(await api.post('/v1/notes', { content: '<script>alert(1)</script>', person_id: person.id }), /content is empty/);
      assert.deepEqual(ids(await api.get('/v1/notes')), [note.id], 'a note that is only a script is refused, not stored empty');
    });

    it('filters by person, organization, deal, author, pins and dates, sorts, and pages by start and limit', async () => {
      const { api, addUser } = await newTenant(server);
      const other = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const jane = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const joe = (await api.post('/api/v2/persons', { name: 'Joe' })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Deal' })).body.data;
      const add = async (body: Record<string, unknown>) => {
        const res = await api.post('/v1/notes', { content: 'note', ...body });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.data.id as number;
      };
      const a = await add({ person_id: jane.id, add_time: '2024-03-01 10:00:00', pinned_to_person_flag: 1 });
      const b = await add({ person_id: jane.id, add_time: '2024-03-02 10:00:00', user_id: other.userId });
      const c = await add({ person_id: joe.id, org_id: org.id, add_time: '2024-02-01 10:00:00' });
      const d = await add({ deal_id: deal.id, add_time: '2024-04-01 10:00:00', pinned_to_deal_flag: 1 });

      const list = async (query: string) => ids(await api.get(`/v1/notes${query}`));
      assert.deepEqual(await list(''), [a, b, c, d]);
      assert.deepEqual(await list(`?person_id=${jane.id}`), [a, b]);
      assert.deepEqual(await list(`?org_id=${org.id}`), [c]);
      assert.deepEqual(await list(`?deal_id=${deal.id}`), [d]);
      assert.deepEqual(await list(`?user_id=${other.userId}`), [b]);
      assert.deepEqual(await list('?pinned_to_person_flag=1'), [a]);
      assert.deepEqual(await list('?pinned_to_person_flag=0'), [b, c, d]);
      assert.deepEqual(await list('?pinned_to_deal_flag=1'), [d]);
      assert.deepEqual(await list('?start_date=2024-03-01&end_date=2024-03-02'), [a, b]);
      assert.deepEqual(await list('?sort=add_time DESC'), [d, b, a, c]);
      assert.deepEqual(await list('?sort=person_id ASC, add_time DESC'), [d, b, a, c], 'a note without the field sorts first ascending');
      assert.deepEqual(await list('?sort=person_id DESC,id ASC'), [c, a, b, d], 'and last descending, on both backends');

      const first = await api.get('/v1/notes?limit=3');
      assert.deepEqual(ids(first), [a, b, c]);
      assert.deepEqual(first.body.additional_data.pagination, { start: 0, limit: 3, more_items_in_collection: true, next_start: 3 });
      const second = await api.get('/v1/notes?start=3&limit=3');
      assert.deepEqual(ids(second), [d]);
      assert.deepEqual(second.body.additional_data.pagination, { start: 3, limit: 3, more_items_in_collection: false });
    });

    it('answers bad input with a 400 in the envelope and changes nothing', async () => {
      const { api } = await newTenant(server);
      const stranger = await newTenant(server);
      const theirs = (await stranger.api.post('/api/v2/persons', { name: 'Theirs' })).body.data;
      const { person, note } = await personWithNote(api);
      const before = (await api.get('/v1/notes')).body.data;

      assertInvalid(await api.post('/v1/notes', { content: 'orphan' }), /attached to a person_id, org_id or deal_id/);
      assertInvalid(await api.post('/v1/notes', { person_id: person.id }), /content is required/);
      assertInvalid(await api.post('/v1/notes', { content: 'x', person_id: person.id, pinned_to_deal_flag: 1 }), /pinned_to_deal_flag needs deal_id/);
      assertInvalid(await api.post('/v1/notes', { content: 'x', person_id: theirs.id }), new RegExp(`person_id ${theirs.id} is not a person`));
      assertInvalid(await api.post('/v1/notes', { content: 'x', person_id: person.id, lead_id: 'adf21080-0e10-11eb-879b-05d71fb426ec' }), /no leads/);
      assertInvalid(await api.post('/v1/notes', { content: 'x', person_id: person.id, add_time: 'yesterday' }), /add_time/);
      assertInvalid(await api.post('/v1/notes', { content: 'x', person_id: person.id, pinned_to_person_flag: 2 }), /pinned_to_person_flag/);
      assertInvalid(await api.post('/v1/notes', { content: 42, person_id: person.id }), /content/);
      assertInvalid(await api.put(`/v1/notes/${note.id}`, { person_id: null }), /attached to a person_id, org_id or deal_id/);
      assertInvalid(await api.put(`/v1/notes/${note.id}`, { content: 'changed', deal_id: 999999 }), /deal_id 999999 is not a deal/);
      assertInvalid(await api.get('/v1/notes?sort=title ASC'), /sort/);
      assertInvalid(await api.get('/v1/notes?start_date=2024-02-30'), /start_date/);

      assert.deepEqual((await api.get('/v1/notes')).body.data, before);
    });

    it("never shows one company another's notes", async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { note } = await personWithNote(theirs.api);
      assert.equal((await mine.api.get(`/v1/notes/${note.id}`)).status, 404);
      assert.equal((await mine.api.put(`/v1/notes/${note.id}`, { content: 'mine now' })).status, 404);
      assert.equal((await mine.api.delete(`/v1/notes/${note.id}`)).status, 404);
      assert.deepEqual(ids(await mine.api.get('/v1/notes')), []);
      assert.equal((await theirs.api.get(`/v1/notes/${note.id}`)).body.data.content, '<p>About Jane Doe</p>');
    });

    it('hides the notes of a person the user may not see, and lets only an admin name another author', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const regular = await addUser();
      const hidden = (await api.post('/api/v2/persons', { name: 'Private', visible_to: 1 })).body.data;
      const shared = (await api.post('/api/v2/persons', { name: 'Shared', visible_to: 7 })).body.data;
      const secret = (await api.post('/v1/notes', { content: 'secret', person_id: hidden.id })).body.data;
      const open = (await api.post('/v1/notes', { content: 'open', person_id: shared.id })).body.data;

      assert.equal((await regular.api.get(`/v1/notes/${secret.id}`)).status, 404);
      assert.equal((await regular.api.put(`/v1/notes/${secret.id}`, { content: 'x' })).status, 404);
      assert.equal((await regular.api.delete(`/v1/notes/${secret.id}`)).status, 404);
      assert.deepEqual(ids(await regular.api.get('/v1/notes')), [open.id]);
      assert.deepEqual(ids(await regular.api.get(`/v1/notes?person_id=${hidden.id}`)), []);
      assertInvalid(await regular.api.post('/v1/notes', { content: 'x', person_id: hidden.id }), /is not a person/);
      assert.equal((await regular.api.post('/v1/notes', { content: 'x', person_id: shared.id, user_id: userId })).status, 403);
      assert.equal((await regular.api.get(`/v1/notes/${open.id}`)).body.data.user.is_you, false);
      assert.deepEqual(ids(await api.get('/v1/notes')), [secret.id, open.id]);
    });

    it('hides a note on a visible person from a user who may not see its deal, in lists, the flow and notes_count', async () => {
      const { api, addUser } = await newTenant(server);
      const regular = await addUser();
      const person = (await api.post('/api/v2/persons', { name: 'Shared', visible_to: 7 })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Private deal', visible_to: 1 })).body.data;
      const open = (await api.post('/v1/notes', { content: 'open', person_id: person.id })).body.data;
      const dealNote = (await api.post('/v1/notes', { content: 'about the deal', person_id: person.id, deal_id: deal.id })).body.data;

      assert.equal((await regular.api.get(`/v1/notes/${dealNote.id}`)).status, 404);
      assert.deepEqual(ids(await regular.api.get(`/v1/notes?person_id=${person.id}`)), [open.id]);
      const flow = (await regular.api.get(`/v1/persons/${person.id}/flow?items=note`)).body.data.map((i: { data: { id: number } }) => i.data.id);
      assert.deepEqual(flow, [open.id]);
      assert.equal((await regular.api.get(`/api/v2/persons/${person.id}?include_fields=notes_count`)).body.data.notes_count, 1);
      assert.equal((await api.get(`/api/v2/persons/${person.id}?include_fields=notes_count`)).body.data.notes_count, 2);
    });

    it('counts a person\'s notes in include_fields=notes_count, one count per person of the page', async () => {
      const { api } = await newTenant(server);
      const { person: jane, note } = await personWithNote(api, 'Jane');
      await api.post('/v1/notes', { content: 'two', person_id: jane.id });
      const gone = (await api.post('/v1/notes', { content: 'three', person_id: jane.id })).body.data;
      await api.delete(`/v1/notes/${gone.id}`);
      const joe = (await api.post('/api/v2/persons', { name: 'Joe' })).body.data;
      const res = await api.get('/api/v2/persons?include_fields=notes_count,followers_count');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const counts = Object.fromEntries(res.body.data.map((p: { id: number; notes_count: number }) => [p.id, p.notes_count]));
      assert.deepEqual(counts, { [jane.id]: 2, [joe.id]: 0 });
      assert.equal((await api.get(`/api/v2/persons/${jane.id}?include_fields=notes_count`)).body.data.notes_count, 2);
      assert.equal((await api.get(`/api/v2/persons/${jane.id}`)).body.data.notes_count, undefined, 'only when asked for');
      await api.put(`/v1/notes/${note.id}`, { person_id: joe.id });
      assert.equal((await api.get(`/api/v2/persons/${joe.id}?include_fields=notes_count`)).body.data.notes_count, 1);
    });

    it("lists a person's notes in its flow, newest first among the other updates", async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const older = (await api.post('/v1/notes', { content: '<p>older</p>', person_id: person.id, add_time: '2020-01-01 09:00:00' })).body.data;
      const newer = (await api.post('/v1/notes', { content: '<p>newer</p>', person_id: person.id, add_time: '2999-01-01 09:00:00' })).body.data;
      const onlyNotes = await api.get(`/v1/persons/${person.id}/flow?items=note`);
      assert.equal(onlyNotes.status, 200, JSON.stringify(onlyNotes.body));
      assert.deepEqual(onlyNotes.body.data.map((i: { object: string; data: { id: number } }) => [i.object, i.data.id]), [['note', newer.id], ['note', older.id]]);
      assert.equal(onlyNotes.body.data[0].timestamp, '2999-01-01 09:00:00');
      assert.equal(onlyNotes.body.data[0].data.content, '<p>newer</p>');
      const all = (await api.get(`/v1/persons/${person.id}/flow`)).body.data.map((i: { object: string }) => i.object);
      assert.equal(all[0], 'note');
      assert.equal(all[all.length - 1], 'note');
      await api.delete(`/v1/notes/${newer.id}`);
      assert.deepEqual((await api.get(`/v1/persons/${person.id}/flow?items=note`)).body.data.map((i: { data: { id: number } }) => i.data.id), [older.id]);
    });

    it('moves the merged person\'s notes to the survivor, and an unmerge moves them back', async () => {
      const { api } = await newTenant(server);
      const { person: merged, note } = await personWithNote(api, 'Jane Doe');
      const { person: survivor, note: own } = await personWithNote(api, 'Jane D');
      const res = await api.put(`/v1/persons/${merged.id}/merge`, { merge_with_id: survivor.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await api.get(`/v1/notes/${note.id}`)).body.data.person_id, survivor.id);
      assert.deepEqual(ids(await api.get(`/v1/notes?person_id=${survivor.id}`)), [note.id, own.id]);
      assert.equal((await api.get(`/api/v2/persons/${survivor.id}?include_fields=notes_count`)).body.data.notes_count, 2);

      assert.equal((await api.post(`/api/v2/persons/${survivor.id}/unmerge`)).status, 200);
      assert.deepEqual(ids(await api.get(`/v1/notes?person_id=${merged.id}`)), [note.id]);
      assert.deepEqual(ids(await api.get(`/v1/notes?person_id=${survivor.id}`)), [own.id]);

      // A moved note edited onto someone else since the merge stays there, and the unmerge says so.
      const third = (await api.post('/api/v2/persons', { name: 'Joe' })).body.data;
      assert.equal((await api.put(`/v1/persons/${merged.id}/merge`, { merge_with_id: survivor.id })).status, 200);
      await api.put(`/v1/notes/${note.id}`, { person_id: third.id });
      const undone = await api.post(`/api/v2/persons/${survivor.id}/unmerge`);
      assert.equal(undone.status, 200);
      assert.ok(undone.body.additional_data.not_restored.some((n: { field: string }) => n.field === `note ${note.id}`), JSON.stringify(undone.body.additional_data));
      assert.equal((await api.get(`/v1/notes/${note.id}`)).body.data.person_id, third.id);
    });

    it("deletes a deleted person's notes, except those also attached to an organization or a deal", async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const { person, note } = await personWithNote(api);
      const kept = (await api.post('/v1/notes', { content: 'org too', person_id: person.id, org_id: org.id, pinned_to_person_flag: 1 })).body.data;
      assert.equal((await api.delete(`/api/v2/persons/${person.id}`)).status, 200);
      assert.equal((await api.get(`/v1/notes/${note.id}`)).status, 404);
      const left = (await api.get(`/v1/notes/${kept.id}`)).body.data;
      assert.equal(left.person_id, null);
      assert.equal(left.pinned_to_person_flag, false);
      assert.equal(left.org_id, org.id);
      assert.deepEqual(ids(await api.get('/v1/notes')), [kept.id]);
    });
  });
}
