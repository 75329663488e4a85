import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { assertError } from '../helpers/envelope.ts';
import { countOrganizationRelations } from '../../src/store/repositories/organization-counts.repository.ts';

/** Every live organization of the tenant, read through v2 (what a failed v1 write must never change). */
async function v2Organizations(api: Api) {
  const list = await api.get('/api/v2/organizations?limit=500');
  assert.equal(list.status, 200);
  return list.body.data;
}

for (const backend of testBackends()) {
  describe(`v1 organizations [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('creates with a lenient v1 body, reads it on both prefixes and through v2, counts, lists its persons and deals, updates, searches, deletes', async () => {
      const { api, userId } = await newTenant(server);
      const created = await api.post('/v1/organizations', {
        name: 'Acme Ltd',
        owner_id: String(userId),
        visible_to: '7',
        label: '5',
        add_time: '2024-01-02 03:04:05',
        address: '1 Main St, Springfield',
        address_locality: 'Springfield',
        unknown_key: 'ignored',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const org = created.body.data;
      assert.deepEqual([org.name, org.visible_to, org.label, org.label_ids, org.add_time, org.active_flag], ['Acme Ltd', '7', 5, [5], '2024-01-02 03:04:05', true]);
      assert.deepEqual([org.owner_id.value, org.owner_id.name, org.owner_name], [userId, 'Test Admin', 'Test Admin']);
      assert.deepEqual([org.address, org.address_locality, org.address_country], ['1 Main St, Springfield', 'Springfield', null]);
      assert.deepEqual([org.people_count, org.open_deals_count, org.won_deals_count, org.notes_count], [0, 0, 0, 0]);
      assert.equal(created.body.related_objects.user[userId].name, 'Test Admin');
      assert.ok(!('unknown_key' in org));

      const onApi = await api.get(`/api/v1/organizations/${org.id}`);
      assert.equal(onApi.status, 200);
      assert.deepEqual(onApi.body.data, org, '/api/v1 and /v1 answer the same organization');
      const v2 = (await api.get(`/api/v2/organizations/${org.id}`)).body.data;
      assert.deepEqual([v2.name, v2.visible_to, v2.label_ids, v2.add_time, v2.address.locality, v2.owner_id], ['Acme Ltd', 7, [5], '2024-01-02T03:04:05Z', 'Springfield', userId]);

      // Persons, deals and notes written through either version count and list under the organization.
      const ann = (await api.post('/v1/persons', { name: 'Ann Lee', org_id: org.id })).body.data.id;
      const bob = (await api.post('/api/v2/persons', { name: 'Bob Stone', org_id: org.id })).body.data.id;
      const open = (await api.post('/v1/deals', { title: 'Open deal', org_id: org.id, person_id: ann })).body.data.id;
      const won = (await api.post('/api/v2/deals', { title: 'Won deal', org_id: org.id, status: 'won' })).body.data.id;
      await api.post('/v1/notes', { content: 'Met them', org_id: org.id });
      const detail = (await api.get(`/v1/organizations/${org.id}`)).body;
      const counted = detail.data;
      assert.equal(detail.related_objects.organization[org.id].people_count, 2, 'the related organization counts the same persons');
      assert.deepEqual(
        [counted.people_count, counted.open_deals_count, counted.won_deals_count, counted.closed_deals_count, counted.lost_deals_count, counted.notes_count],
        [2, 1, 1, 1, 0, 1],
      );
      const persons = await api.get(`/v1/organizations/${org.id}/persons?limit=1`);
      assert.deepEqual([persons.body.data.map((p: any) => p.id), persons.body.additional_data.pagination.next_start], [[ann], 1]);
      assert.equal(persons.body.data[0].org_id.value, org.id);
      const rest = await api.get(`/api/v1/organizations/${org.id}/persons?start=1&limit=1`);
      assert.deepEqual([rest.body.data.map((p: any) => p.id), rest.body.additional_data.pagination.more_items_in_collection], [[bob], false]);
      const deals = await api.get(`/v1/organizations/${org.id}/deals?sort=${encodeURIComponent('title DESC')}`);
      assert.deepEqual(deals.body.data.map((d: any) => d.id), [won, open]);
      assert.equal(deals.body.related_objects.organization[org.id].name, 'Acme Ltd');
      const onlyWon = await api.get(`/v1/organizations/${org.id}/deals?status=won&only_primary_association=1`);
      assert.deepEqual(onlyWon.body.data.map((d: any) => d.id), [won]);

      const updated = await api.put(`/v1/organizations/${org.id}`, { name: 'Acme Group', visible_to: 3, label_ids: '7,8', address: null });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.deepEqual([updated.body.data.name, updated.body.data.visible_to, updated.body.data.label, updated.body.data.label_ids, updated.body.data.address], ['Acme Group', '3', 7, [7, 8], null]);
      assert.equal(updated.body.data.add_time, '2024-01-02 03:04:05', 'keys not sent are kept');
      const echoed = await api.put(`/v1/organizations/${org.id}`, updated.body.data);
      assert.equal(echoed.status, 200, 'a v1 read sent back as is is a valid v1 update');
      assert.deepEqual(echoed.body.data.label_ids, [7, 8]);
      await api.patch(`/api/v2/organizations/${org.id}`, { name: 'Acme Holding' });
      assert.equal((await api.get(`/v1/organizations/${org.id}`)).body.data.name, 'Acme Holding', 'a v2 write reads through v1');

      const found = await api.get('/v1/organizations/search?term=Holding&start=0&limit=5');
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.deepEqual(found.body.data.items.map((i: any) => [i.item.id, i.item.type]), [[org.id, 'organization']]);
      assert.deepEqual(found.body.additional_data.pagination, { start: 0, limit: 5, more_items_in_collection: false });
      const exact = await api.get('/api/v1/organizations/search?term=acme%20holding&exact_match=1');
      assert.deepEqual(exact.body.data.items.map((i: any) => i.item.id), [org.id]);

      const removed = await api.delete(`/v1/organizations/${org.id}`);
      assert.deepEqual([removed.status, removed.body], [200, { success: true, data: { id: org.id } }]);
      assertError(await api.get(`/v1/organizations/${org.id}`), 404);
      assertError(await api.get(`/api/v2/organizations/${org.id}`), 404);
      assert.equal((await api.get(`/v1/persons/${ann}`)).body.data.org_id, null, 'its persons lose the link, as with a v2 delete');
      assert.equal((await api.get(`/api/v2/deals/${won}`)).body.data.org_id, null, 'and so do its deals');
      assert.deepEqual((await api.get('/v1/organizations/search?term=Holding')).body.data.items, []);
    });

    it('gives each organization its own counts when reads of several arrive together', async () => {
      const { api, addUser, companyId } = await newTenant(server);
      const follower = await addUser();
      const orgs: Array<{ id: number }> = [];
      // Organization i has i persons, i open deals of its own, one won deal of its first person's that names no
      // organization (a related deal) from i = 1 on, i notes, and a follower when i is odd.
      for (let i = 0; i < 4; i++) {
        const org = (await api.post('/api/v2/organizations', { name: `Counted Org ${i}` })).body.data;
        const persons = [];
        for (let p = 0; p < i; p++) persons.push((await api.post('/api/v2/persons', { name: `Staff ${i}.${p}`, org_id: org.id })).body.data);
        for (let d = 0; d < i; d++) assert.equal((await api.post('/api/v2/deals', { title: `Deal ${i}.${d}`, org_id: org.id })).status, 200);
        if (i >= 1) assert.equal((await api.post('/api/v2/deals', { title: `Side ${i}`, person_id: persons[0].id, status: 'won' })).status, 200);
        for (let n = 0; n < i; n++) assert.equal((await api.post('/v1/notes', { content: `Note ${n}`, org_id: org.id })).status, 200);
        if (i % 2 === 1) assert.equal((await api.post(`/v1/organizations/${org.id}/followers`, { user_id: follower.userId })).status, 200);
        orgs.push(org);
      }
      for (let round = 0; round < 3; round++) {
        const reads = await Promise.all(orgs.map((o) => api.get(`/v1/organizations/${o.id}`)));
        reads.forEach((read, i) => {
          assert.equal(read.status, 200, JSON.stringify(read.body));
          const got = read.body.data;
          const counts = [got.people_count, got.open_deals_count, got.related_won_deals_count, got.notes_count, got.followers_count];
          assert.deepEqual(counts, [i, i, i >= 1 ? 1 : 0, i, i % 2], `organization ${i}`);
        });
      }
      // Counts asked for in one turn of the event loop share one statement on PostgreSQL; each still gets its own.
      const want = { people: true, deals: true, relatedDeals: true, notes: true, followers: true };
      const together = await Promise.all(orgs.map((o) => countOrganizationRelations(server.store.db, companyId, [o.id], want, { everything: true })));
      together.forEach((rows, i) => {
        const id = orgs[i].id;
        const sum = (list: { orgId: number; status: string; n: number }[], status: string) => list.filter((r) => r.orgId === id && r.status === status).reduce((n, r) => n + r.n, 0);
        assert.deepEqual(
          [rows.people.get(id) ?? 0, sum(rows.deals, 'open'), sum(rows.relatedDeals, 'won'), rows.notes.get(id) ?? 0, rows.followers.get(id) ?? 0],
          [i, i, i >= 1 ? 1 : 0, i, i % 2],
          `organization ${i}, counted together`,
        );
        assert.ok([...rows.deals, ...rows.relatedDeals].every((r) => r.orgId === id) && [...rows.notes.keys(), ...rows.followers.keys()].every((k) => k === id), 'no other organization\'s rows');
      });
    });

    it('pages by start and limit to the end, filtered by owner and first letter, sorted; bulk delete is all or none', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const other = await addUser();
      const names = ['Bravo Inc', 'alpha Co', 'Charlie AG', 'beta SA', 'Delta Oy'];
      const ids: number[] = [];
      for (const name of names) ids.push((await api.post('/v1/organizations', { name })).body.data.id);
      await api.post('/v1/organizations', { name: 'Other Owner', owner_id: other.userId });

      const seen: number[] = [];
      let start = 0;
      for (let page = 0; ; page++) {
        const list = await api.get(`/v1/organizations?user_id=${userId}&start=${start}&limit=2`);
        assert.equal(list.status, 200);
        const pagination = list.body.additional_data.pagination;
        assert.deepEqual([pagination.start, pagination.limit], [start, 2]);
        seen.push(...list.body.data.map((o: any) => o.id));
        if (!pagination.more_items_in_collection) break;
        assert.equal(pagination.next_start, start + 2);
        start = pagination.next_start;
        assert.ok(page < 5);
      }
      assert.deepEqual(seen, ids);
      const past = await api.get('/v1/organizations?start=100');
      assert.deepEqual([past.body.data, past.body.additional_data.pagination.more_items_in_collection], [null, false]);
      const byB = await api.get('/v1/organizations?first_char=b');
      assert.deepEqual(byB.body.data.map((o: any) => o.name), ['Bravo Inc', 'beta SA']);
      const sorted = await api.get(`/api/v1/organizations?user_id=${userId}&sort=${encodeURIComponent('name DESC, id ASC')}`);
      assert.deepEqual(sorted.body.data.map((o: any) => o.name), ['beta SA', 'alpha Co', 'Delta Oy', 'Charlie AG', 'Bravo Inc']);
      assertError(await api.get('/v1/organizations?sort=address%20ASC'), 400, /cannot sort by "address"/);
      assertError(await api.get('/v1/organizations?sort=name%20UP'), 400, /sort/);
      const filter = (await api.post('/v1/filters', { name: 'B names', type: 'org', conditions: { glue: 'and', conditions: [{ glue: 'and', conditions: [{ object: 'organization', field_id: 'name', operator: 'LIKE \'$%\'', value: 'B', extra_value: null }] }, { glue: 'or', conditions: [] }] } })).body.data;
      assert.ok(filter?.id, 'a saved org filter');
      const filtered = await api.get(`/v1/organizations?filter_id=${filter.id}&user_id=${other.userId}`);
      assert.deepEqual(filtered.body.data.map((o: any) => o.name), ['Bravo Inc', 'beta SA'], 'filter_id takes precedence over user_id');
      assertError(await api.get('/v1/organizations?filter_id=999999'), 404);
      assertError(await api.get('/v1/organizations?first_char=ab'), 400, /first_char/);
      assertError(await api.get('/v1/organizations?limit=501'), 400);

      const before = await v2Organizations(api);
      assertError(await api.delete(`/v1/organizations?ids=${ids[0]},${ids[1] + 100000}`), 404);
      assert.deepEqual(await v2Organizations(api), before, 'one unknown id deletes none');
      assertError(await api.delete('/v1/organizations?ids=x'), 400);
      assertError(await api.delete('/v1/organizations'), 400);
      const bulk = await api.delete(`/api/v1/organizations?ids=${ids[0]},${ids[1]}`);
      assert.deepEqual(bulk.body, { success: true, data: { id: [ids[0], ids[1]] } });
      assert.deepEqual((await v2Organizations(api)).map((o: any) => o.id), ids.slice(2).concat(before[before.length - 1].id));
    });

    it('writes and reads custom fields of organizations and deals flat under their keys, the same through v2', async () => {
      const { api } = await newTenant(server);
      const size = (await api.post('/v1/organizationFields', { name: 'Size', field_type: 'double' })).body.data?.key;
      const budget = (await api.post('/v1/dealFields', { name: 'Budget', field_type: 'monetary' })).body.data?.key;
      assert.match(`${size} ${budget}`, /^[0-9a-f]{40} [0-9a-f]{40}$/);
      const org = await api.post('/v1/organizations', { name: 'Sized Org', [size]: '250' });
      assert.equal(org.status, 201, JSON.stringify(org.body));
      assert.equal(org.body.data[size], 250);
      assert.deepEqual((await api.get(`/api/v2/organizations/${org.body.data.id}`)).body.data.custom_fields, { [size]: 250 });
      const deal = await api.post('/v1/deals', { title: 'Budgeted', [budget]: 1000, [`${budget}_currency`]: 'EUR' });
      assert.equal(deal.status, 201, JSON.stringify(deal.body));
      assert.deepEqual([deal.body.data[budget], deal.body.data[`${budget}_currency`]], [1000, 'EUR']);
      assert.deepEqual((await api.get(`/api/v2/deals/${deal.body.data.id}`)).body.data.custom_fields, { [budget]: { value: 1000, currency: 'EUR' } });
      await api.patch(`/api/v2/organizations/${org.body.data.id}`, { custom_fields: { [size]: 300 } });
      assert.equal((await api.get(`/v1/organizations/${org.body.data.id}`)).body.data[size], 300, 'a v2 write reads through v1');
      assertError(await api.put(`/v1/organizations/${org.body.data.id}`, { [size]: 'big' }), 400, new RegExp(size));
      assertError(await api.post('/v1/deals', { title: 'X', [size]: 1 }), 400, /not a custom field of deals/);
    });

    it('merges an organization into another: persons, deals, notes, activities and followers move, empty fields are filled, the merged one is deleted', async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { api } = mine;
      const merged = (await api.post('/v1/organizations', { name: 'Old Acme', address: '1 Main St', label_ids: [3] })).body.data.id;
      const survivor = (await api.post('/v1/organizations', { name: 'Acme' })).body.data.id;
      const foreign = (await theirs.api.post('/v1/organizations', { name: 'Foreign Org' })).body.data.id;
      const person = (await api.post('/v1/persons', { name: 'Ann Lee', org_id: merged })).body.data.id;
      const deal = (await api.post('/v1/deals', { title: 'Moved deal', org_id: merged })).body.data.id;
      await api.post('/v1/notes', { content: 'About Old Acme', org_id: merged });
      const activity = (await api.post('/api/v2/activities', { subject: 'Visit', org_id: merged, due_date: '2026-02-01' })).body.data.id;
      const follower = await mine.addUser();
      await api.post(`/api/v2/organizations/${merged}/followers`, { user_id: follower.userId });

      assertError(await api.put(`/v1/organizations/${merged}/merge`, { merge_with_id: merged }), 400, /another/);
      assertError(await api.put(`/v1/organizations/${merged}/merge`, { merge_with_id: foreign }), 400, /merge_with_id/);
      assertError(await api.put(`/v1/organizations/${merged}/merge`, {}), 400, /merge_with_id/);
      assertError(await api.put(`/v1/organizations/${foreign}/merge`, { merge_with_id: survivor }), 404);
      assert.equal((await api.get(`/v1/organizations/${merged}`)).body.data.people_count, 1, 'a refused merge changes nothing');

      const answer = await api.put(`/api/v1/organizations/${merged}/merge`, { merge_with_id: String(survivor) });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const result = answer.body.data;
      assert.deepEqual([result.id, result.merge_what_id, result.name, result.address, result.label_ids], [survivor, merged, 'Acme', '1 Main St', [3]]);
      assert.deepEqual([result.people_count, result.open_deals_count, result.notes_count], [1, 1, 1]);
      assertError(await api.get(`/v1/organizations/${merged}`), 404);
      assert.deepEqual((await api.get(`/v1/organizations/${survivor}/persons`)).body.data.map((p: any) => p.id), [person]);
      assert.equal((await api.get(`/api/v2/deals/${deal}`)).body.data.org_id, survivor);
      assert.equal((await api.get(`/api/v2/activities/${activity}`)).body.data.org_id, survivor, 'activities move');
      const followers = (await api.get(`/api/v2/organizations/${survivor}/followers`)).body.data.map((f: any) => f.user_id);
      assert.ok(followers.includes(follower.userId), 'followers follow the survivor');
      const changes = (await api.get(`/v1/persons/${person}/changelog`)).body.data;
      assert.ok(changes.some((c: any) => c.field_key === 'org_id' && c.new_value === String(survivor)), 'the move is in the person history');
    });

    it('answers bad input with a 400 and unknown, foreign or hidden ids with a 404, changing nothing', async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { api } = mine;
      const regular = await mine.addUser();
      const id = (await api.post('/v1/organizations', { name: 'Kept Org' })).body.data.id;
      const hidden = (await api.post('/v1/organizations', { name: 'Private Org', visible_to: '1' })).body.data.id;
      const foreign = (await theirs.api.post('/v1/organizations', { name: 'Foreign Org' })).body.data.id;
      const before = await v2Organizations(api);

      assertError(await api.post('/v1/organizations', {}), 400, /name/);
      for (const [body, pattern] of [
        [{ name: '' }, /name/],
        [{ name: 5 }, /name/],
        [{ name: 'X', visible_to: '2' }, /visible_to/],
        [{ name: 'X', visible_to: 'all' }, /visible_to/],
        [{ name: 'X', owner_id: 'me' }, /owner_id/],
        [{ name: 'X', owner_id: 999999 }, /owner_id/],
        [{ name: 'X', label_ids: ['a'] }, /label_ids/],
        [{ name: 'X', add_time: '02/01/2024' }, /add_time/],
        [{ name: 'X', address_locality: { part: 'x' } }, /address_locality/],
        [{ name: 'X', ['b'.repeat(40)]: 'value' }, /custom field/],
        [{ name: '<script>alert(1)</script>'.repeat(20) }, /longer than/],
      ] as const) {
        assertError(await api.post('/v1/organizations', body), 400, pattern);
        assertError(await api.put(`/v1/organizations/${id}`, body.name === 'X' ? { ...body, name: 'Kept Org' } : body), 400, pattern);
      }
      assertError(await api.post('/v1/organizations', '{"name": '), 400);
      assert.deepEqual(await v2Organizations(api), before, 'no write went through');

      for (const other of [foreign, id + 100000]) {
        assertError(await api.get(`/v1/organizations/${other}`), 404);
        assertError(await api.put(`/v1/organizations/${other}`, { name: 'Taken' }), 404);
        assertError(await api.delete(`/v1/organizations/${other}`), 404);
        assertError(await api.delete(`/v1/organizations?ids=${other}`), 404);
        assertError(await api.get(`/v1/organizations/${other}/persons`), 404);
        assertError(await api.get(`/v1/organizations/${other}/deals`), 404);
      }
      assertError(await regular.api.get(`/v1/organizations/${hidden}`), 404);
      assertError(await regular.api.put(`/v1/organizations/${hidden}`, { name: 'Mine now' }), 404);
      assertError(await regular.api.get(`/v1/organizations/${hidden}/persons`), 404);
      assert.deepEqual((await regular.api.get('/v1/organizations')).body.data.map((o: any) => o.id), [id]);
      assertError(await api.get('/v1/organizations/abc'), 400);
      assertError(await api.get(`/v1/organizations/${id}/deals?status=nope`), 400);
      assertError(await api.get('/v1/organizations/search?term=q'), 400);
      assertError(await api.get('/v1/organizations/search'), 400);

      // Hostile strings are stored and answered as text, never interpreted.
      const hostile = `Robert'); DROP TABLE organizations;-- <img src=x onerror=alert(1)> %_\u0000`.replace('\u0000', '');
      const stored = await api.post('/v1/organizations', { name: hostile });
      assert.equal(stored.status, 201);
      assert.equal((await api.get(`/api/v2/organizations/${stored.body.data.id}`)).body.data.name, hostile);
      assert.equal((await api.get(`/v1/organizations/search?term=${encodeURIComponent('%_')}`)).status, 200);
      assert.equal((await api.get(`/v1/organizations?first_char=${encodeURIComponent("'")}`)).body.data, null);
      assert.equal((await theirs.api.get(`/v1/organizations/${foreign}`)).body.data.name, 'Foreign Org');
    });
  });
}
