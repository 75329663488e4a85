import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { assertError } from '../helpers/envelope.ts';

/** Every live deal of the tenant, read through v2 (what a failed v1 write must never change). */
async function v2Deals(api: Api) {
  const list = await api.get('/api/v2/deals?limit=500');
  assert.equal(list.status, 200);
  return list.body.data;
}

for (const backend of testBackends()) {
  describe(`v1 deals [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('creates with a lenient v1 body, reads it on both prefixes and through v2, lists its persons, updates, searches, deletes', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/v1/organizations', { name: 'Acme Ltd' })).body.data.id;
      const person = (await api.post('/v1/persons', { name: 'Ann Lee', org_id: org })).body.data.id;
      const created = await api.post('/v1/deals', {
        title: 'Big contract',
        value: '1500.5',
        currency: 'EUR',
        user_id: String(userId),
        person_id: String(person),
        org_id: org,
        label: '3,4',
        probability: '60',
        visible_to: '7',
        add_time: '2024-01-02 03:04:05',
        expected_close_date: '2024-03-01',
        pipeline_id: null,
        unknown_key: 'ignored',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const deal = created.body.data;
      assert.deepEqual([deal.title, deal.value, deal.currency, deal.status, deal.probability, deal.visible_to, deal.add_time], ['Big contract', 1500.5, 'EUR', 'open', 60, '7', '2024-01-02 03:04:05']);
      assert.deepEqual([deal.user_id.value, deal.user_id.name, deal.person_id.value, deal.person_id.name, deal.org_id.value, deal.org_id.name], [userId, 'Test Admin', person, 'Ann Lee', org, 'Acme Ltd']);
      const pipeline = (await api.get('/api/v2/pipelines')).body.data[0];
      const stages = (await api.get(`/api/v2/stages?pipeline_id=${pipeline.id}&sort_by=order_nr`)).body.data;
      assert.deepEqual([deal.label, deal.expected_close_date, deal.pipeline_id, deal.stage_id], ['3,4', '2024-03-01', pipeline.id, stages[0].id], 'the default pipeline\'s first stage');
      assert.deepEqual([created.body.related_objects.person[person].name, created.body.related_objects.organization[org].name], ['Ann Lee', 'Acme Ltd']);
      assert.ok(!('unknown_key' in deal));

      assert.deepEqual((await api.get(`/api/v1/deals/${deal.id}`)).body.data, deal, '/api/v1 and /v1 answer the same deal');
      const v2 = (await api.get(`/api/v2/deals/${deal.id}`)).body.data;
      assert.deepEqual([v2.title, v2.value, v2.owner_id, v2.person_id, v2.org_id, v2.label_ids, v2.visible_to, v2.add_time], ['Big contract', 1500.5, userId, person, org, [3, 4], 7, '2024-01-02T03:04:05Z']);

      const persons = await api.get(`/v1/deals/${deal.id}/persons`);
      assert.deepEqual([persons.body.data.map((p: any) => p.id), persons.body.additional_data.pagination.more_items_in_collection], [[person], false]);
      assert.equal(persons.body.related_objects.organization[org].name, 'Acme Ltd');
      assert.deepEqual((await api.get(`/v1/persons/${person}/deals`)).body.data.map((d: any) => d.id), [deal.id]);

      const lost = await api.put(`/v1/deals/${deal.id}`, { status: 'lost', lost_reason: 'Too late', org_id: 0, value: 99, label: [] });
      assert.equal(lost.status, 200, JSON.stringify(lost.body));
      assert.deepEqual([lost.body.data.status, lost.body.data.lost_reason, lost.body.data.org_id, lost.body.data.value, lost.body.data.label], ['lost', 'Too late', null, 99, null]);
      assert.ok(lost.body.data.lost_time && lost.body.data.close_time, 'closing stamps the times');
      const echoed = await api.put(`/v1/deals/${deal.id}`, lost.body.data);
      assert.equal(echoed.status, 200, `a v1 read sent back as is is a valid v1 update: ${JSON.stringify(echoed.body)}`);
      assert.equal(echoed.body.data.lost_time, lost.body.data.lost_time);
      await api.patch(`/api/v2/deals/${deal.id}`, { title: 'Renewed contract', status: 'open' });
      const reread = (await api.get(`/v1/deals/${deal.id}`)).body.data;
      assert.deepEqual([reread.title, reread.status, reread.lost_time], ['Renewed contract', 'open', null], 'a v2 write reads through v1');

      const moved = await api.put(`/v1/deals/${deal.id}`, { stage_id: String(stages[2].id) });
      assert.deepEqual([moved.body.data.pipeline_id, moved.body.data.stage_id], [pipeline.id, stages[2].id], 'a v1 stage_id as a numeric string moves it');
      assert.equal((await api.get(`/api/v2/deals/${deal.id}`)).body.data.stage_id, stages[2].id, 'v2 sees the move');
      assert.deepEqual((await api.get(`/v1/deals?stage_id=${stages[2].id}`)).body.data.map((d: any) => d.id), [deal.id], 'the list by stage');
      assert.equal((await api.get(`/v1/deals?stage_id=${stages[1].id}`)).body.data, null, 'no deal in another stage');

      const found = await api.get(`/v1/deals/search?term=Renewed&person_id=${person}&start=0&limit=5`);
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.deepEqual(found.body.data.items.map((i: any) => [i.item.id, i.item.type, i.item.person.id]), [[deal.id, 'deal', person]]);
      assert.deepEqual(found.body.additional_data.pagination, { start: 0, limit: 5, more_items_in_collection: false });
      assert.deepEqual((await api.get('/api/v1/deals/search?term=Renewed&status=won')).body.data.items, []);

      const removed = await api.delete(`/v1/deals/${deal.id}`);
      assert.deepEqual([removed.status, removed.body], [200, { success: true, data: { id: deal.id } }]);
      assertError(await api.get(`/v1/deals/${deal.id}`), 404);
      assertError(await api.get(`/api/v2/deals/${deal.id}`), 404);
      const deleted = await api.get('/v1/deals?status=deleted');
      assert.deepEqual(deleted.body.data.map((d: any) => [d.id, d.deleted, d.active]), [[deal.id, true, false]]);
      assert.deepEqual((await api.get('/v1/deals/search?term=Renewed')).body.data.items, []);
    });

    it('pages by start and limit to the end, filtered by owner and status, sorted; bulk delete is all or none', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const other = await addUser();
      const ids: number[] = [];
      for (const [title, status] of [['Bravo', 'open'], ['Alpha', 'won'], ['Charlie', 'open'], ['Delta', 'lost'], ['Echo', 'open']]) {
        ids.push((await api.post('/v1/deals', { title, status })).body.data.id);
      }
      const theirs = (await api.post('/v1/deals', { title: 'Other Owner', user_id: other.userId })).body.data.id;

      const seen: number[] = [];
      let start = 0;
      for (let page = 0; ; page++) {
        const list = await api.get(`/v1/deals?user_id=${userId}&start=${start}&limit=2`);
        assert.equal(list.status, 200);
        const pagination = list.body.additional_data.pagination;
        seen.push(...list.body.data.map((d: any) => d.id));
        if (!pagination.more_items_in_collection) break;
        assert.equal(pagination.next_start, start + 2);
        start = pagination.next_start;
        assert.ok(page < 5);
      }
      assert.deepEqual(seen, ids);
      assert.deepEqual((await api.get('/v1/deals?owned_by_you=1')).body.data.map((d: any) => d.id), ids);
      assert.deepEqual((await other.api.get('/v1/deals?owned_by_you=1')).body.data.map((d: any) => d.id), [theirs]);
      const open = await api.get(`/api/v1/deals?status=open&sort=${encodeURIComponent('title DESC')}`);
      assert.deepEqual(open.body.data.map((d: any) => d.title), ['Other Owner', 'Echo', 'Charlie', 'Bravo']);
      assertError(await api.get('/v1/deals?sort=stage_id%20ASC'), 400, /cannot sort by "stage_id"/);
      const filter = (await api.post('/v1/filters', { name: 'Open ones', type: 'deals', conditions: { glue: 'and', conditions: [{ glue: 'and', conditions: [{ object: 'deal', field_id: 'status', operator: '=', value: 'open', extra_value: null }] }, { glue: 'or', conditions: [] }] } })).body.data;
      assert.ok(filter?.id, 'a saved deals filter');
      const filtered = await api.get(`/v1/deals?filter_id=${filter.id}&sort=${encodeURIComponent('title ASC')}`);
      assert.deepEqual(filtered.body.data.map((d: any) => d.title), ['Bravo', 'Charlie', 'Echo', 'Other Owner']);
      assertError(await api.get('/v1/deals?status=nope'), 400, /status/);

      const before = await v2Deals(api);
      assertError(await api.delete(`/v1/deals?ids=${ids[0]},${ids[1] + 100000}`), 404);
      assert.deepEqual(await v2Deals(api), before, 'one unknown id deletes none');
      const bulk = await api.delete(`/api/v1/deals?ids=${ids[0]},${ids[1]}`);
      assert.deepEqual(bulk.body, { success: true, data: { id: [ids[0], ids[1]] } });
      assert.deepEqual((await v2Deals(api)).map((d: any) => d.id), [...ids.slice(2), theirs]);
    });

    it('answers bad input with a 400 and unknown, foreign or hidden ids with a 404, changing nothing', async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { api } = mine;
      const regular = await mine.addUser();
      const id = (await api.post('/v1/deals', { title: 'Kept deal' })).body.data.id;
      const hidden = (await api.post('/v1/deals', { title: 'Private deal', visible_to: '1' })).body.data.id;
      const foreign = (await theirs.api.post('/v1/deals', { title: 'Foreign deal' })).body.data.id;
      const foreignPerson = (await theirs.api.post('/v1/persons', { name: 'Foreign Person' })).body.data.id;
      const theirPipeline = (await theirs.api.get('/api/v2/pipelines')).body.data[0].id;
      const theirStage = (await theirs.api.get('/api/v2/stages')).body.data[0].id;
      const before = await v2Deals(api);

      assertError(await api.post('/v1/deals', {}), 400, /title/);
      for (const [body, pattern] of [
        [{ title: '' }, /title/],
        [{ title: 'X', pipeline_id: theirPipeline }, /pipeline_id/],
        [{ title: 'X', stage_id: String(theirStage) }, /stage_id/],
        [{ title: 'X', stage_id: 'two' }, /stage_id/],
        [{ title: 'X', channel: 3 }, /channel/],
        [{ title: 'X', ['c'.repeat(40)]: 'value' }, /custom field/],
        [{ title: 'X', status: 'deleted' }, /status/],
        [{ title: 'X', status: 'nope' }, /status/],
        [{ title: 'X', value: 'lots' }, /value/],
        [{ title: 'X', currency: 'euro' }, /currency/],
        [{ title: 'X', probability: 150 }, /probability/],
        [{ title: 'X', visible_to: '2' }, /visible_to/],
        [{ title: 'X', user_id: 'me' }, /user_id/],
        [{ title: 'X', person_id: foreignPerson }, /person_id/],
        [{ title: 'X', org_id: 999999 }, /org_id/],
        [{ title: 'X', label: ['x'] }, /label/],
        [{ title: 'X', add_time: '02/01/2024' }, /add_time/],
        [{ title: 'X', expected_close_date: '2024-02-30' }, /expected_close_date/],
        [{ title: '<script>alert(1)</script>'.repeat(20) }, /longer than/],
      ] as const) {
        assertError(await api.post('/v1/deals', body), 400, pattern);
        assertError(await api.put(`/v1/deals/${id}`, body.title === 'X' ? { ...body, title: 'Kept deal' } : body), 400, pattern);
      }
      assertError(await api.post('/v1/deals', '{"title": '), 400);
      assert.deepEqual(await v2Deals(api), before, 'no write went through');

      for (const other of [foreign, id + 100000]) {
        assertError(await api.get(`/v1/deals/${other}`), 404);
        assertError(await api.put(`/v1/deals/${other}`, { title: 'Taken' }), 404);
        assertError(await api.delete(`/v1/deals/${other}`), 404);
        assertError(await api.delete(`/v1/deals?ids=${other}`), 404);
        assertError(await api.get(`/v1/deals/${other}/persons`), 404);
      }
      assertError(await regular.api.get(`/v1/deals/${hidden}`), 404);
      assertError(await regular.api.put(`/v1/deals/${hidden}`, { title: 'Mine now' }), 404);
      assertError(await regular.api.get(`/v1/deals/${hidden}/persons`), 404);
      assert.deepEqual((await regular.api.get('/v1/deals')).body.data.map((d: any) => d.id), [id]);
      assertError(await api.get('/v1/deals/abc'), 400);
      assertError(await api.get('/v1/deals/search?term=q'), 400);
      assertError(await api.get('/v1/deals/search?term=deal&status=deleted'), 400);

      const hostile = `Robert'); DROP TABLE deals;-- <img src=x onerror=alert(1)> %_`;
      const stored = await api.post('/v1/deals', { title: hostile });
      assert.equal(stored.status, 201);
      assert.equal((await api.get(`/api/v2/deals/${stored.body.data.id}`)).body.data.title, hostile);
      assert.equal((await api.get(`/v1/deals/search?term=${encodeURIComponent('%_')}`)).status, 200);
      assert.equal((await theirs.api.get(`/v1/deals/${foreign}`)).body.data.title, 'Foreign deal');
    });
  });
}
