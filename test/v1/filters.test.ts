import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

function assertInvalid(res: ApiResponse, message: RegExp): void {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  assert.match(res.body.error, message);
}

/** The person field ids by key, as GET /v1/personFields lists them. */
async function personFieldIds(api: Api): Promise<Record<string, string>> {
  const fields = (await api.get('/v1/personFields?limit=500')).body.data as { id: number; key: string }[];
  return Object.fromEntries(fields.map((f) => [f.key, String(f.id)]));
}

const tree = (and: unknown[], or: unknown[] = []) => ({ glue: 'and', conditions: [{ glue: 'and', conditions: and }, { glue: 'or', conditions: or }] });
const line = (field_id: string, operator: string, value: string | null = null, extra_value: string | null = null, object = 'person') => ({ object, field_id, operator, value, extra_value });

for (const backend of testBackends()) {
  describe(`v1 filters [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('adds, reads, lists, updates and deletes filters, with conditions as Pipedrive renders them', async () => {
      const { api, userId } = await newTenant(server);
      const ids = await personFieldIds(api);
      const conditions = tree([line(ids.name, "LIKE '%$%'", 'jan')], [line(ids.email, 'IS NOT NULL'), line(ids.add_time, '=', 'this_week')]);
      const created = await api.post('/v1/filters', { name: 'Jans', type: 'people', conditions });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const filter = created.body.data;
      assert.equal(filter.name, 'Jans');
      assert.equal(filter.type, 'people');
      assert.equal(filter.user_id, userId);
      assert.equal(filter.visible_to, '1');
      assert.equal(filter.is_editable, true);
      assert.equal(filter.active_flag, true);
      assert.equal(filter.temporary_flag, false);
      assert.match(filter.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.deepEqual(filter.conditions.conditions[0].conditions[0], { ...line(ids.name, "LIKE '%$%'", 'jan'), json_value_flag: false });
      assert.equal(filter.conditions.conditions[1].glue, 'or');

      assert.deepEqual((await api.get(`/v1/filters/${filter.id}`)).body.data, filter);
      const coded = (await api.get(`/v1/filters/${filter.id}?include_field_code=true`)).body.data;
      assert.deepEqual(coded.conditions.conditions[1].conditions.map((c: { field_code: string }) => c.field_code), ['email', 'add_time']);

      const deals = (await api.post('/v1/filters', { name: 'Big', type: 'deals', conditions: tree([line('value', '>', '1000', null, 'deal')]) })).body.data;
      const org = (await api.post('/v1/filters', { name: 'Acme', type: 'org', conditions: JSON.stringify(tree([line('name', '=', 'Acme', null, 'organization')])) })).body.data;
      assert.equal(org.conditions.conditions[0].conditions[0].value, 'Acme', 'conditions may come as JSON text');
      const all = (await api.get('/v1/filters')).body.data;
      assert.deepEqual(all.map((f: { id: number }) => f.id), [filter.id, deals.id, org.id]);
      assert.equal(all[0].conditions, undefined, 'lists leave the conditions out');
      assert.deepEqual((await api.get('/v1/filters?type=deals')).body.data.map((f: { id: number }) => f.id), [deals.id]);

      const updated = await api.put(`/v1/filters/${filter.id}`, { name: 'Janes', conditions: tree([line(ids.name, "LIKE '$%'", 'Jane')]), visible_to: 7 });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.data.name, 'Janes');
      assert.equal(updated.body.data.visible_to, '7');
      assert.equal(updated.body.data.conditions.conditions[0].conditions[0].operator, "LIKE '$%'");
      assert.deepEqual(updated.body.data.conditions.conditions[1], { glue: 'or', conditions: [] });

      assert.deepEqual((await api.delete(`/v1/filters/${filter.id}`)).body, { success: true, data: { id: filter.id } });
      assert.equal((await api.get(`/v1/filters/${filter.id}`)).status, 404);
      assert.deepEqual((await api.delete(`/v1/filters?ids=${deals.id},${org.id}`)).body, { success: true, data: { id: [deals.id, org.id] } });
      assert.deepEqual((await api.get('/v1/filters')).body.data, []);
      assert.equal((await api.delete(`/v1/filters?ids=${deals.id}`)).status, 404, 'a deleted filter is gone for bulk deletes too');

      const helpers = (await api.get('/v1/filters/helpers')).body.data;
      assert.equal(helpers.operators.varchar["LIKE '%$%'"], 'contains');
      assert.equal(helpers.operators.date['>'], 'is later than');
      assert.equal(helpers.relative_dates['Relative date intervals'].last_quarter, 'last quarter');
      assert.equal(helpers.relative_dates['Relative dates'].yesterday, 'yesterday');
    });

    it('refuses malformed condition trees with a 400 naming the bad part, and saves nothing', async () => {
      const { api } = await newTenant(server);
      const score = (await api.post('/api/v2/personFields', { field_name: 'Score', field_type: 'double' })).body.data;
      const ids = await personFieldIds(api);
      const custom = { id: ids[score.field_code] };
      const post = (conditions: unknown, type = 'people') => api.post('/v1/filters', { name: 'Bad', type, conditions });
      assertInvalid(await post({ glue: 'and' }), /conditions\.conditions must be an array/);
      assertInvalid(await post({ glue: 'xor', conditions: [] }), /conditions\.glue must be "and" or "or"/);
      assertInvalid(await post('{not json'), /conditions must be a JSON object/);
      assertInvalid(await post(tree([line('999999', '=', 'x')])), /conditions\.conditions\[0\]\.conditions\[0\]\.field_id "999999" is not a person field/);
      assertInvalid(await post(tree([line(ids.name, '<', 'x')])), /conditions\.conditions\[0\]\.conditions\[0\]\.operator "<" cannot be used with field "Name"/);
      assertInvalid(await post(tree([], [line(ids.add_time, '=', 'someday')])), /conditions\.conditions\[1\]\.conditions\[0\]\.value must be a date/);
      assertInvalid(await post(tree([line(ids.add_time, '=', '2024-02-30')])), /must be a date/);
      assertInvalid(await post(tree([line(String(custom.id), '>', 'lots')])), /value must be a number for field "Score"/);
      assertInvalid(await post(tree([line(ids.owner_id, '=', 'me')])), /value must be an id/);
      assertInvalid(await post(tree([line(ids.name, '=', null)])), /value is required/);
      assertInvalid(await post(tree([line(ids.postal_address, "LIKE '%$%'", 'Tallinn', 'planet')])), /extra_value "planet" is not a part of an address/);
      assertInvalid(await post(tree([line(ids.name, '=', 'x', null, 'deal')])), /object is "deal"/);
      assertInvalid(await post(tree(Array.from({ length: 17 }, () => line(ids.name, '=', 'x')))), /at most 16/);
      let deep: unknown = { glue: 'and', conditions: [] };
      for (let i = 0; i < 5; i++) deep = { glue: 'or', conditions: [deep] };
      assertInvalid(await post(deep), /nested too deep/);
      assertInvalid(await post(tree([{ ...line(ids.name, '=', 'x'), colour: 'red' }])), /unknown property "colour"/);
      assertInvalid(await post(tree([line('busy_flag', '=', '1', null, 'activity')]), 'activity'), /field_id "busy_flag" is not an activity field/);
      assertInvalid(await post(tree([]), 'leads'), /leads filters are not supported/);
      assertInvalid(await post(tree([line('title', '=', 'x', null, 'deal')]), 'people'), /object is "deal"/);
      assertInvalid(await post(tree([line('nope', '=', 'x', null, 'deal')]), 'deals'), /field_id "nope" is not a deal field/);
      assertInvalid(await api.post('/v1/filters', { name: 'No type', conditions: tree([]) }), /type/);
      assert.deepEqual((await api.get('/v1/filters')).body.data, []);
      // A valid tree with every kind of person field is accepted.
      const ok = await post(
        tree(
          [line(ids.name, "NOT LIKE '%$%'", 'x'), line(ids.owner_id, '!=', '1'), line(ids.label, '=', '1'), line(ids.birthday, '<=', 'last_year')],
          [line(String(custom.id), '>=', '2.5'), line(ids.postal_address, "LIKE '$%'", 'Tal', 'locality'), line(ids.add_time, '=', 'exact_date', '2024-01-31')],
        ),
      );
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });

    it('keeps filters to their company and their visible_to; only the owner or an admin edits one', async () => {
      const tenant = await newTenant(server);
      const other = await newTenant(server);
      const ids = await personFieldIds(tenant.api);
      const [alice, bob] = [await tenant.addUser(), await tenant.addUser()];
      const priv = (await alice.api.post('/v1/filters', { name: 'Mine', type: 'people', conditions: tree([line(ids.name, '=', 'x')]) })).body.data;
      const shared = (await alice.api.post('/v1/filters', { name: 'Ours', type: 'people', visible_to: '7', conditions: tree([line(ids.name, '=', 'x')]) })).body.data;
      assert.deepEqual((await bob.api.get('/v1/filters')).body.data.map((f: { id: number }) => f.id), [shared.id]);
      assert.equal((await bob.api.get(`/v1/filters/${priv.id}`)).status, 404);
      assert.equal((await bob.api.get(`/api/v2/persons?filter_id=${priv.id}`)).status, 404);
      assert.equal((await bob.api.get(`/v1/filters/${shared.id}`)).body.data.is_editable, false);
      assert.equal((await bob.api.put(`/v1/filters/${shared.id}`, { conditions: tree([]) })).status, 403);
      assert.equal((await bob.api.delete(`/v1/filters/${shared.id}`)).status, 403);
      assert.equal((await bob.api.delete(`/v1/filters?ids=${shared.id}`)).status, 403);
      // The admin sees and edits both.
      assert.deepEqual((await tenant.api.get('/v1/filters')).body.data.map((f: { id: number }) => f.id), [priv.id, shared.id]);
      assert.equal((await tenant.api.put(`/v1/filters/${priv.id}`, { name: 'Renamed', conditions: tree([]) })).status, 200);
      // Another company sees neither.
      for (const id of [priv.id, shared.id]) {
        assert.equal((await other.api.get(`/v1/filters/${id}`)).status, 404);
        assert.equal((await other.api.put(`/v1/filters/${id}`, { conditions: tree([]) })).status, 404);
        assert.equal((await other.api.delete(`/v1/filters/${id}`)).status, 404);
        assert.equal((await other.api.get(`/api/v2/persons?filter_id=${id}`)).status, 404);
      }
      assert.deepEqual((await other.api.get('/v1/filters')).body.data, []);
      assert.equal((await tenant.api.get(`/v1/filters/${priv.id}`)).body.data.name, 'Renamed');
    });
  });
}
