import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { assertError } from '../helpers/envelope.ts';

/** Every live person of the tenant, read through v2 (what a v1 write must never change when it fails). */
async function v2Persons(api: Api) {
  const list = await api.get('/api/v2/persons?limit=500');
  assert.equal(list.status, 200);
  return list.body.data;
}

for (const backend of testBackends()) {
  describe(`v1 persons [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('creates with a lenient v1 body, reads it on both prefixes and through v2, updates and deletes', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme Ltd' })).body.data;
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: { id: number }) => o.id);

      const created = await api.post('/v1/persons', {
        name: 'Ann Lee',
        email: 'ann@acme.example',
        phone: ['+1 415 555 0100', '+1 415 555 0101'],
        visible_to: '3',
        org_id: String(org.id),
        owner_id: String(userId),
        label: String(labels[1]),
        add_time: '2024-01-02 03:04:05',
        postal_address: '1 Main St, Springfield',
        postal_address_locality: 'Springfield',
        unknown_key: 'ignored',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const person = created.body.data;
      assert.deepEqual(person.email, [{ value: 'ann@acme.example', primary: true, label: 'work' }]);
      assert.deepEqual(person.phone.map((p: any) => [p.value, p.primary]), [['+1 415 555 0100', true], ['+1 415 555 0101', false]]);
      assert.equal(person.visible_to, '3');
      assert.deepEqual(person.owner_id.value, userId);
      assert.equal(person.owner_id.name, 'Test Admin');
      assert.deepEqual([person.org_id.value, person.org_id.name, person.org_name], [org.id, 'Acme Ltd', 'Acme Ltd']);
      assert.deepEqual([person.label, person.label_ids], [labels[1], [labels[1]]]);
      assert.equal(person.add_time, '2024-01-02 03:04:05');
      assert.equal(person.active_flag, true);
      assert.deepEqual([person.postal_address, person.postal_address_locality], ['1 Main St, Springfield', 'Springfield']);
      assert.equal(created.body.related_objects.organization[org.id].name, 'Acme Ltd');
      assert.equal(created.body.related_objects.user[userId].name, 'Test Admin');
      assert.ok(!('unknown_key' in person));

      const onApi = await api.get(`/api/v1/persons/${person.id}`);
      assert.equal(onApi.status, 200);
      assert.deepEqual(onApi.body.data, person, '/api/v1 and /v1 answer the same person');
      const v2 = (await api.get(`/api/v2/persons/${person.id}`)).body.data;
      assert.deepEqual(
        [v2.name, v2.emails, v2.visible_to, v2.org_id, v2.label_ids, v2.add_time, v2.postal_address.locality],
        ['Ann Lee', person.email, 3, org.id, [labels[1]], '2024-01-02T03:04:05Z', 'Springfield'],
      );

      const updated = await api.put(`/v1/persons/${person.id}`, {
        name: 'Ann Lee-Smith',
        email: [{ value: 'ann@home.example', primary: '0', label: 'home' }, { value: 'ann@acme.example', primary: 1 }],
        org_id: null,
        visible_to: 7,
        label_ids: labels.slice(0, 2).map(String),
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.deepEqual(updated.body.data.email.map((e: any) => [e.value, e.primary, e.label]), [['ann@home.example', false, 'home'], ['ann@acme.example', true, 'work']]);
      assert.deepEqual([updated.body.data.org_id, updated.body.data.visible_to, updated.body.data.label, updated.body.data.label_ids], [null, '7', labels[0], labels.slice(0, 2)]);
      assert.equal(updated.body.data.phone.length, 2, 'keys not sent are kept');
      const changelog = (await api.get(`/v1/persons/${person.id}/changelog`)).body.data;
      assert.ok(changelog.some((c: any) => c.field_key === 'name' && c.new_value === 'Ann Lee-Smith'), 'a v1 write is in the history');
      const found = await api.get('/api/v2/persons/search?term=Lee-Smith');
      assert.deepEqual(found.body.data.items.map((i: any) => i.item.id), [person.id], 'and in the search index');

      const echoed = await api.put(`/v1/persons/${person.id}`, updated.body.data);
      assert.equal(echoed.status, 200, 'a v1 read sent back as is is a valid v1 update');
      assert.deepEqual(echoed.body.data.label_ids, labels.slice(0, 2));

      const removed = await api.delete(`/v1/persons/${person.id}`);
      assert.deepEqual([removed.status, removed.body], [200, { success: true, data: { id: person.id } }]);
      assertError(await api.get(`/v1/persons/${person.id}`), 404);
      assertError(await api.get(`/api/v2/persons/${person.id}`), 404);
    });

    it('pages a whole company by start alone, either id direction, without its deleted persons', async () => {
      // The plain page PostgreSQL skips in the live documents' key (migration 032) rather than in the persons rows.
      const { api } = await newTenant(server);
      const ids: number[] = [];
      for (let k = 0; k < 7; k++) ids.push((await api.post('/v1/persons', { name: `Paged ${k}` })).body.data.id);
      assert.equal((await api.delete(`/v1/persons/${ids[2]}`)).status, 200);
      const live = ids.filter((id) => id !== ids[2]);
      for (const [sort, expected] of [['', live], ['&sort=id%20DESC', [...live].reverse()]] as const) {
        const seen: number[] = [];
        for (let start = 0; ; start += 2) {
          const list = await api.get(`/v1/persons?start=${start}&limit=2${sort}`);
          assert.equal(list.status, 200);
          seen.push(...(list.body.data ?? []).map((p: any) => p.id));
          if (!list.body.additional_data.pagination.more_items_in_collection) break;
          assert.ok(start < 10);
        }
        assert.deepEqual(seen, expected, sort);
      }
    });

    it('pages by start and limit to the end, filtered by owner and first letter, sorted by the sort parameter', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const other = await addUser();
      const names = ['Bob Stone', 'Alice Brown', 'Carl Adams', 'bea Young', 'Dan Black'];
      const ids: number[] = [];
      for (const name of names) ids.push((await api.post('/v1/persons', { name })).body.data.id);
      await api.post('/v1/persons', { name: 'Other Owner', owner_id: other.userId });

      const seen: number[] = [];
      let start = 0;
      for (let page = 0; ; page++) {
        const list = await api.get(`/v1/persons?user_id=${userId}&start=${start}&limit=2`);
        assert.equal(list.status, 200);
        const pagination = list.body.additional_data.pagination;
        assert.deepEqual([pagination.start, pagination.limit], [start, 2]);
        seen.push(...list.body.data.map((p: any) => p.id));
        if (!pagination.more_items_in_collection) {
          assert.equal(pagination.next_start, undefined);
          break;
        }
        assert.equal(pagination.next_start, start + 2);
        start = pagination.next_start;
        assert.ok(page < 5);
      }
      assert.deepEqual(seen, ids, 'every person of the owner once, in id order');

      const past = await api.get('/v1/persons?start=100');
      assert.deepEqual([past.body.data, past.body.additional_data.pagination.more_items_in_collection], [null, false]);

      const byName = await api.get(`/v1/persons?user_id=${userId}&sort=${encodeURIComponent('last_name DESC, id ASC')}`);
      assert.deepEqual(byName.body.data.map((p: any) => p.last_name), ['Young', 'Stone', 'Brown', 'Black', 'Adams']);
      const b = await api.get('/v1/persons?first_char=B');
      assert.deepEqual(b.body.data.map((p: any) => p.name), ['Bob Stone', 'bea Young'], 'first_char ignores case');
      assertError(await api.get('/v1/persons?sort=emails%20ASC'), 400, /cannot sort by "emails"/);
      assertError(await api.get('/v1/persons?sort=name%20UP'), 400, /sort/);
      assertError(await api.get('/v1/persons?filter_id=987654'), 404, /Filter not found/);
      assertError(await api.get('/v1/persons?limit=501'), 400);
    });

    it('pages the collection by cursor for admins, filtered by owner, first letter and update time', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const regular = await addUser();
      const old = (await api.post('/v1/persons', { name: 'Old Timer', add_time: '2020-01-01 00:00:00' })).body.data.id;
      const ids = [old];
      for (const name of ['Nina Park', 'Omar Reed', 'nell Quinn']) ids.push((await api.post('/v1/persons', { name, email: `${name.split(' ')[0].toLowerCase()}@example.com` })).body.data.id);
      await api.post('/v1/persons', { name: 'Not Mine', owner_id: regular.userId });

      const seen: any[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `owner_id=${userId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await api.get(`/v1/persons/collection?${query}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        seen.push(...page.body.data);
        cursor = page.body.additional_data.next_cursor;
      } while (cursor);
      assert.deepEqual(seen.map((p) => p.id), ids);
      assert.deepEqual([seen[1].owner_id, seen[1].visible_to, seen[1].email[0].value, seen[1].active_flag], [userId, '3', 'nina@example.com', true]);

      const since = await api.get('/api/v1/persons/collection?since=2021-01-01%2000:00:00');
      assert.ok(!since.body.data.some((p: any) => p.id === old), 'since bounds update_time');
      const until = await api.get('/v1/persons/collection?until=2021-01-01T00:00:00Z');
      assert.deepEqual(until.body.data.map((p: any) => p.id), [old]);
      const n = await api.get(`/v1/persons/collection?first_char=n&owner_id=${userId}`);
      assert.deepEqual(n.body.data.map((p: any) => p.name), ['Nina Park', 'nell Quinn']);
      assertError(await api.get('/v1/persons/collection?since=yesterday'), 400, /since/);
      assertError(await api.get('/v1/persons/collection?cursor=forged'), 400);
      assertError(await regular.api.get('/v1/persons/collection'), 403);
    });

    it('searches persons by offset, within an organization', async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Zeta' })).body.data;
      const inOrg = (await api.post('/v1/persons', { name: 'Quentin Marsh', org_id: org.id })).body.data.id;
      const second = (await api.post('/v1/persons', { name: 'Quentin Hale', email: 'quentin@hale.example' })).body.data.id;

      const all = await api.get('/v1/persons/search?term=quentin&limit=1');
      assert.equal(all.status, 200);
      assert.equal(all.body.data.items.length, 1);
      assert.deepEqual(all.body.additional_data.pagination, { start: 0, limit: 1, more_items_in_collection: true, next_start: 1 });
      const next = await api.get('/api/v1/persons/search?term=quentin&start=1&limit=1');
      assert.equal(next.body.additional_data.pagination.more_items_in_collection, false);
      assert.deepEqual([...all.body.data.items, ...next.body.data.items].map((i: any) => i.item.id).sort(), [inOrg, second].sort());
      const scoped = await api.get(`/v1/persons/search?term=quentin&organization_id=${org.id}`);
      assert.deepEqual(scoped.body.data.items.map((i: any) => i.item.id), [inOrg]);
      const byEmail = await api.get('/v1/persons/search?term=quentin@hale.example&fields=email&exact_match=1');
      assert.deepEqual(byEmail.body.data.items.map((i: any) => i.item.id), [second]);
      assertError(await api.get('/v1/persons/search?term=q'), 400);
    });

    it("gives each person its own counts when reads of several persons arrive together", async () => {
      const { api, addUser } = await newTenant(server);
      const follower = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Counted Ltd' })).body.data;
      const small = (await api.post('/api/v2/organizations', { name: 'Small Ltd' })).body.data;
      const persons = [];
      // Person i has i open deals, one won deal from i = 2 on, i notes, i activities (one done), a follower when i is odd;
      // persons 0 and 1 work at an organization with a deal of its own, person 2 at another.
      for (let i = 0; i < 4; i++) {
        const person = (await api.post('/api/v2/persons', { name: `Counted ${i}`, org_id: i < 2 ? org.id : i === 2 ? small.id : undefined })).body.data;
        for (let d = 0; d < i; d++) assert.equal((await api.post('/api/v2/deals', { title: `Deal ${i}.${d}`, person_id: person.id })).status, 200);
        if (i >= 2) await api.post('/api/v2/deals', { title: `Won ${i}`, person_id: person.id, status: 'won' });
        for (let n = 0; n < i; n++) assert.equal((await api.post('/v1/notes', { content: `Note ${n}`, person_id: person.id })).status, 200);
        for (let a = 0; a < i; a++) await api.post('/api/v2/activities', { subject: `Call ${a}`, person_id: person.id, due_date: '2026-05-01', done: a === 0 });
        if (i % 2 === 1) assert.equal((await api.post(`/v1/persons/${person.id}/followers`, { user_id: follower.userId })).status, 200);
        persons.push(person);
      }
      await api.post('/api/v2/deals', { title: 'Org deal', org_id: org.id });
      for (let round = 0; round < 3; round++) {
        const reads = await Promise.all(persons.map((p) => api.get(`/v1/persons/${p.id}`)));
        reads.forEach((read, i) => {
          assert.equal(read.status, 200, JSON.stringify(read.body));
          const got = read.body.data;
          const counts = [got.open_deals_count, got.won_deals_count, got.related_open_deals_count, got.notes_count, got.activities_count, got.done_activities_count, got.followers_count];
          assert.deepEqual(counts, [i, i >= 2 ? 1 : 0, i < 2 ? 1 : 0, i, i, i > 0 ? 1 : 0, i % 2], `person ${i}`);
          const organization = i < 2 ? { name: 'Counted Ltd', people_count: 2, value: org.id } : i === 2 ? { name: 'Small Ltd', people_count: 1, value: small.id } : null;
          assert.deepEqual(got.org_id && { name: got.org_id.name, people_count: got.org_id.people_count, value: got.org_id.value }, organization, `person ${i}`);
        });
      }
    });

    it('bulk deletes all the ids or none', async () => {
      const { api } = await newTenant(server);
      const [a, b, c] = await Promise.all(['One A', 'Two B', 'Three C'].map(async (name) => (await api.post('/v1/persons', { name })).body.data.id));
      const refused = await api.delete(`/v1/persons?ids=${a},${b + 1000}`);
      assertError(refused, 404);
      assert.equal((await v2Persons(api)).length, 3, 'nothing was deleted');
      const done = await api.delete(`/v1/persons?ids=${a},${b}`);
      assert.deepEqual([done.status, done.body], [200, { success: true, data: { id: [a, b] } }]);
      assert.deepEqual((await v2Persons(api)).map((p: any) => p.id), [c]);
      assertError(await api.delete('/v1/persons?ids=x'), 400);
      assertError(await api.delete('/v1/persons'), 400);
    });

    it("lists a person's deals by status, in v1 shape", async () => {
      const { api, userId } = await newTenant(server);
      const person = (await api.post('/v1/persons', { name: 'Deal Holder' })).body.data.id;
      const other = (await api.post('/v1/persons', { name: 'Someone Else' })).body.data.id;
      const open = (await api.post('/api/v2/deals', { title: 'Open deal', person_id: person, value: 100 })).body.data.id;
      const won = (await api.post('/api/v2/deals', { title: 'Won deal', person_id: person, status: 'won' })).body.data.id;
      await api.post('/api/v2/deals', { title: 'Not theirs', person_id: other });

      const all = await api.get(`/v1/persons/${person}/deals`);
      assert.equal(all.status, 200);
      assert.deepEqual(all.body.data.map((d: any) => d.id), [open, won]);
      const deal = all.body.data[0];
      assert.deepEqual([deal.title, deal.value, deal.person_id.value, deal.person_id.name, deal.user_id.value, deal.status], ['Open deal', 100, person, 'Deal Holder', userId, 'open']);
      assert.equal(all.body.related_objects.person[person].name, 'Deal Holder');
      const onlyWon = await api.get(`/v1/persons/${person}/deals?status=won`);
      assert.deepEqual(onlyWon.body.data.map((d: any) => d.id), [won]);
      const paged = await api.get(`/v1/persons/${person}/deals?limit=1&sort=${encodeURIComponent('title DESC')}`);
      assert.deepEqual([paged.body.data.map((d: any) => d.id), paged.body.additional_data.pagination.next_start], [[won], 1]);
      assertError(await api.get(`/v1/persons/${person + 1000}/deals`), 404);
      assertError(await api.get(`/v1/persons/${person}/deals?status=nope`), 400);
    });

    it('answers bad input with a 400 and unknown or foreign ids with a 404, changing nothing', async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { api } = mine;
      const id = (await api.post('/v1/persons', { name: 'Kept Person', email: 'kept@example.com' })).body.data.id;
      const foreign = (await theirs.api.post('/v1/persons', { name: 'Foreign Person' })).body.data.id;
      const before = await v2Persons(api);

      assertError(await api.post('/v1/persons', {}), 400, /name/);
      for (const [body, pattern] of [
        [{ name: '' }, /name/],
        [{ name: 'X', email: 5 }, /email/],
        [{ name: 'X', email: 'not-an-email' }, /email/],
        [{ name: 'X', email: [{ value: 'a@b.example', primary: 'maybe' }] }, /primary/],
        [{ name: 'X', visible_to: '2' }, /visible_to/],
        [{ name: 'X', visible_to: 'all' }, /visible_to/],
        [{ name: 'X', owner_id: 'me' }, /owner_id/],
        [{ name: 'X', org_id: 999999 }, /org_id/],
        [{ name: 'X', label: 999999 }, /label/],
        [{ name: 'X', add_time: '02/01/2024' }, /add_time/],
        [{ name: 'X', ['a'.repeat(40)]: 'value' }, /not a custom field/],
        [{ name: '<script>alert(1)</script>'.repeat(20) }, /longer than/],
      ] as const) {
        assertError(await api.post('/v1/persons', body), 400, pattern);
        assertError(await api.put(`/v1/persons/${id}`, body.name === 'X' ? { ...body, name: 'Kept Person' } : body), 400, pattern);
      }
      assertError(await api.post('/v1/persons', '{"name": '), 400);
      assert.deepEqual(await v2Persons(api), before, 'no write went through');

      for (const other of [foreign, id + 100000]) {
        assertError(await api.get(`/v1/persons/${other}`), 404);
        assertError(await api.put(`/v1/persons/${other}`, { name: 'Taken' }), 404);
        assertError(await api.delete(`/v1/persons/${other}`), 404);
        assertError(await api.delete(`/v1/persons?ids=${other}`), 404);
        assertError(await api.get(`/v1/persons/${other}/deals`), 404);
      }
      assertError(await api.get('/v1/persons/abc'), 400);
      assert.equal((await theirs.api.get(`/v1/persons/${foreign}`)).body.data.name, 'Foreign Person');
      assert.deepEqual(await v2Persons(api), before);
    });

    it('hides persons the caller may not see, as v2 does', async () => {
      const { api, addUser } = await newTenant(server);
      const regular = await addUser();
      const hidden = (await api.post('/v1/persons', { name: 'Private Person', visible_to: '1' })).body.data.id;
      const shared = (await api.post('/v1/persons', { name: 'Shared Person', visible_to: '7' })).body.data.id;
      assertError(await regular.api.get(`/v1/persons/${hidden}`), 404);
      assertError(await regular.api.put(`/v1/persons/${hidden}`, { name: 'Mine now' }), 404);
      const list = await regular.api.get('/v1/persons');
      assert.deepEqual(list.body.data.map((p: any) => p.id), [shared]);

      const privateOrg = (await api.post('/api/v2/organizations', { name: 'Secret Org', visible_to: 1 })).body.data.id;
      const linked = (await api.post('/v1/persons', { name: 'Linked Person', visible_to: '7', org_id: privateOrg })).body.data.id;
      const seen = await regular.api.get(`/v1/persons/${linked}`);
      assert.deepEqual([seen.body.data.org_id, seen.body.data.org_name, seen.body.related_objects.organization], [{ value: privateOrg }, null, {}], 'the link stays, the organization is not described');
      assert.equal((await api.get(`/v1/persons/${linked}`)).body.data.org_id.name, 'Secret Org');
    });
  });
}
