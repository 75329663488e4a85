import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const qs = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

async function itemSearch(api: Api, params: Record<string, string | number>, prefix = '/v1') {
  const res = await api.get(`${prefix}/itemSearch?${qs(params)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function fieldSearch(api: Api, params: Record<string, string | number>) {
  const res = await api.get(`/v1/itemSearch/field?${qs(params)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const described = (body: any) => body.data.items.map((i: any) => `${i.item.type}:${i.item.name}`);

for (const backend of testBackends()) {
  describe(`v1 itemSearch [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('finds persons and organizations, best first, in the v1 shape', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Globex', address: { value: '12 Harbour Rd, Oslo' } })).body.data;
      const fan = (await api.post('/api/v2/persons', { name: 'Globex Fan', org_id: org.id, emails: [{ value: 'fan@globex.example' }] })).body.data;
      await api.post('/api/v2/organizations', { name: 'Globetrotters' });

      const body = await itemSearch(api, { term: 'globex', item_types: 'person,organization' });
      assert.deepEqual(described(body), ['organization:Globex', 'person:Globex Fan']);
      assert.deepEqual(body.data.related_items, []);
      assert.deepEqual(body.additional_data, { pagination: { start: 0, limit: 100, more_items_in_collection: false } });
      assert.deepEqual(body.data.items[0].item, {
        id: org.id,
        type: 'organization',
        name: 'Globex',
        address: '12 Harbour Rd, Oslo',
        visible_to: 3,
        owner: { id: userId },
        custom_fields: [],
        notes: [],
      });
      assert.deepEqual(body.data.items[1].item, {
        id: fan.id,
        type: 'person',
        name: 'Globex Fan',
        phones: [],
        emails: ['fan@globex.example'],
        visible_to: 3,
        owner: { id: userId },
        organization: { id: org.id, name: 'Globex', address: '12 Harbour Rd, Oslo' },
        custom_fields: [],
        notes: [],
      });
      assert.ok(body.data.items[0].result_score > body.data.items[1].result_score);

      assert.deepEqual(described(await itemSearch(api, { term: 'glob' })), ['person:Globex Fan', 'organization:Globex', 'organization:Globetrotters'], 'all types by default; equal scores list persons first');
      assert.deepEqual(described(await itemSearch(api, { term: 'harbour' })), ['organization:Globex'], 'organizations are found by address');
      assert.deepEqual(described(await itemSearch(api, { term: 'globex', item_types: 'organization' })), ['organization:Globex']);
      assert.deepEqual(described(await itemSearch(api, { term: 'globex', fields: 'email' })), ['person:Globex Fan']);
      assert.deepEqual(described(await itemSearch(api, { term: 'globex', item_types: 'deal' })), [], 'no deal has the term in its title yet');
      assert.deepEqual(described(await itemSearch(api, { term: 'globex', item_types: 'product,lead,file' })), [], 'personsd stores no products, leads or files');
      assert.deepEqual(described(await itemSearch(api, { term: 'GLOBEX', exact_match: 1 })), ['organization:Globex']);
      assert.deepEqual(described(await itemSearch(api, { term: 'globex', exact_match: 'false' }, '/api/v1')), ['organization:Globex', 'person:Globex Fan']);
    });

    it('finds deals by title, ranked with persons and organizations, with their person and organization', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Initech' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Peter Gibbons', org_id: org.id })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Initech renewal', value: 1200, currency: 'EUR', person_id: person.id, org_id: org.id })).body.data;
      const stage = (await api.get(`/api/v2/stages/${deal.stage_id}`)).body.data;
      await api.post('/api/v2/deals', { title: 'Other deal' });

      const body = await itemSearch(api, { term: 'initech' });
      assert.deepEqual(
        body.data.items.map((i: any) => `${i.item.type}:${i.item.id}`),
        [`organization:${org.id}`, `deal:${deal.id}`],
        'the exact name outranks the title word; the person is not found by its organization',
      );
      assert.deepEqual(body.data.items[1].item, {
        id: deal.id,
        type: 'deal',
        title: 'Initech renewal',
        value: 1200,
        currency: 'EUR',
        status: 'open',
        visible_to: 3,
        owner: { id: userId },
        stage: { id: stage.id, name: stage.name },
        person: { id: person.id, name: 'Peter Gibbons' },
        organization: { id: org.id, name: 'Initech', address: null },
        custom_fields: [],
        notes: [],
        is_archived: false,
      });
      assert.deepEqual((await itemSearch(api, { term: 'initech', fields: 'title' })).data.items.map((i: any) => i.item.id), [deal.id], 'title is a deal field only');
      assert.deepEqual((await itemSearch(api, { term: 'initech', item_types: 'deal', fields: 'notes,custom_fields' })).data.items, [], 'deals have no notes or custom fields');

      await api.patch(`/api/v2/deals/${deal.id}`, { title: 'Globex renewal' });
      assert.deepEqual((await itemSearch(api, { term: 'initech', item_types: 'deal' })).data.items, [], 'the index follows a new title at once');
      assert.deepEqual((await itemSearch(api, { term: 'globex', item_types: 'deal' })).data.items.map((i: any) => i.item.id), [deal.id]);
      const field = await fieldSearch(api, { term: 'Globex', field_type: 'dealField', field_key: 'title', return_item_ids: 1 });
      assert.deepEqual(field.data, [{ id: deal.id, title: 'Globex renewal' }]);
      await api.delete(`/api/v2/deals/${deal.id}`);
      assert.deepEqual((await itemSearch(api, { term: 'globex', item_types: 'deal' })).data.items, [], 'a deleted deal leaves the index');
    });

    it('pages by start and limit', async () => {
      const { api } = await newTenant(server);
      for (const name of ['Pam One', 'Pam Two', 'Pam Three', 'Pam Four', 'Pam Five']) await api.post('/api/v2/persons', { name });
      const all = described(await itemSearch(api, { term: 'pam' }));
      assert.equal(all.length, 5);
      const first = await itemSearch(api, { term: 'pam', start: 0, limit: 2 });
      assert.deepEqual(first.additional_data.pagination, { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 });
      const second = await itemSearch(api, { term: 'pam', start: 2, limit: 2 });
      assert.deepEqual(second.additional_data.pagination, { start: 2, limit: 2, more_items_in_collection: true, next_start: 4 });
      const last = await itemSearch(api, { term: 'pam', start: 4, limit: 2 });
      assert.deepEqual(last.additional_data.pagination, { start: 4, limit: 2, more_items_in_collection: false });
      assert.deepEqual([...described(first), ...described(second), ...described(last)], all);
      assert.deepEqual(described(await itemSearch(api, { term: 'pam', start: 10 })), []);
    });

    it("never returns another company's items", async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      await theirs.api.post('/api/v2/organizations', { name: 'Hidden Holdings' });
      await theirs.api.post('/api/v2/persons', { name: 'Hidden Person' });
      assert.deepEqual(described(await itemSearch(mine.api, { term: 'hidden' })), []);
      assert.deepEqual((await fieldSearch(mine.api, { term: 'Hidden', field_type: 'personField', field_key: 'name' })).data, []);
      assert.deepEqual(described(await itemSearch(theirs.api, { term: 'hidden' })), ['person:Hidden Person', 'organization:Hidden Holdings']);
    });

    it('refuses bad input with a 400 naming the problem', async () => {
      const { api } = await newTenant(server);
      const cases: Array<[string, RegExp]> = [
        ['/v1/itemSearch', /term is required/],
        ['/v1/itemSearch?term=a', /term must be at least 2 characters/],
        ['/v1/itemSearch?term=ab&item_types=person,spaceship', /item_types: unknown value "spaceship"/],
        ['/v1/itemSearch?term=ab&fields=name,colour', /fields: unknown field "colour"/],
        ['/v1/itemSearch?term=ab&limit=501', /limit must be <= 500/],
        ['/v1/itemSearch?term=ab&start=-1', /start must be >= 0/],
        ['/v1/itemSearch?term=ab&exact_match=yes', /exact_match must be one of/],
        ['/v1/itemSearch?term=ab&search_for_related_items=1', /search_for_related_items is not supported/],
        ['/v1/itemSearch/field?term=ab&field_type=personField', /field_key is required/],
        ['/v1/itemSearch/field?term=ab&field_type=leadField&field_key=title', /field_type "leadField" is not searchable/],
        ['/v1/itemSearch/field?term=ab&field_type=dealField&field_key=notes', /field_key "notes" is not a searchable field of deals/],
        ['/v1/itemSearch/field?term=ab&field_type=constructor&field_key=name', /field_type "constructor" is not searchable/],
        ['/v1/itemSearch/field?term=ab&field_type=personField&field_key=constructor', /field_key "constructor" is not a searchable field of persons/],
        ['/v1/itemSearch/field?term=ab&field_type=personField&field_key=birthday', /field_key "birthday" is not a searchable field of persons/],
        ['/v1/itemSearch/field?term=a&field_type=personField&field_key=name', /term must be at least 2 characters/],
      ];
      for (const [path, message] of cases) {
        const res = await api.get(path);
        assert.equal(res.status, 400, path);
        assert.match(res.body.error, message, path);
      }
    });
  });

  describe(`v1 itemSearch/field [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('lists the distinct values containing the term, case-sensitively', async () => {
      const { api } = await newTenant(server);
      const ids: number[] = [];
      for (const name of ['Anna Berg', 'anna berg', 'Hanna Bergman', 'Anna Berg', 'Bob Stone']) ids.push((await api.post('/api/v2/persons', { name })).body.data.id);
      const values = await fieldSearch(api, { term: 'Berg', field_type: 'personField', field_key: 'name' });
      assert.deepEqual(values.data, [{ name: 'Anna Berg' }, { name: 'Hanna Bergman' }]);
      assert.deepEqual(values.additional_data, { pagination: { start: 0, limit: 100, more_items_in_collection: false } });

      const items = await fieldSearch(api, { term: 'Berg', field_type: 'personField', field_key: 'name', return_item_ids: 1 });
      assert.deepEqual(items.data, [
        { id: ids[0], name: 'Anna Berg' },
        { id: ids[3], name: 'Anna Berg' },
        { id: ids[2], name: 'Hanna Bergman' },
      ]);
      const exact = await fieldSearch(api, { term: 'Anna Berg', field_type: 'personField', field_key: 'name', exact_match: 'true', return_item_ids: 'true' });
      assert.deepEqual(exact.data, [{ id: ids[0], name: 'Anna Berg' }, { id: ids[3], name: 'Anna Berg' }]);
      const paged = await fieldSearch(api, { term: 'Berg', field_type: 'personField', field_key: 'name', return_item_ids: 1, start: 1, limit: 1 });
      assert.deepEqual(paged.data, [{ id: ids[3], name: 'Anna Berg' }]);
      assert.deepEqual(paged.additional_data.pagination, { start: 1, limit: 1, more_items_in_collection: true, next_start: 2 });
    });

    it('searches emails, phones by digits, notes, custom fields and organization fields', async () => {
      const { api } = await newTenant(server);
      const code = (await api.post('/api/v2/personFields', { field_name: 'Region', field_type: 'varchar' })).body.data.field_code;
      const person = (
        await api.post('/api/v2/persons', {
          name: 'Field Finder',
          emails: [{ value: 'finder@example.com' }, { value: 'other@example.org' }],
          phones: [{ value: '+1 (415) 555-0100' }],
          notes: 'Prefers Email',
          custom_fields: { [code]: 'North EMEA' },
        })
      ).body.data;
      const org = (await api.post('/api/v2/organizations', { name: 'Field Org', address: { value: '5 Quay St' } })).body.data;
      const one = (params: Record<string, string | number>) => fieldSearch(api, { return_item_ids: 1, ...params }).then((b) => b.data);
      assert.deepEqual(await one({ term: 'example.org', field_type: 'personField', field_key: 'email' }), [{ id: person.id, email: 'other@example.org' }]);
      assert.deepEqual(await one({ term: '4155550100', field_type: 'personField', field_key: 'phone' }), [{ id: person.id, phone: '+1 (415) 555-0100' }]);
      assert.deepEqual(await one({ term: 'Email', field_type: 'personField', field_key: 'notes' }), [{ id: person.id, notes: 'Prefers Email' }]);
      assert.deepEqual(await one({ term: 'email', field_type: 'personField', field_key: 'notes' }), [], 'case-sensitive');
      assert.deepEqual(await one({ term: 'EMEA', field_type: 'personField', field_key: code }), [{ id: person.id, [code]: 'North EMEA' }]);
      assert.deepEqual(await one({ term: 'Quay', field_type: 'organizationField', field_key: 'address' }), [{ id: org.id, address: '5 Quay St' }]);
      assert.deepEqual(await one({ term: 'Field Org', field_type: 'organizationField', field_key: 'name', exact_match: 1 }), [{ id: org.id, name: 'Field Org' }]);
    });
  });
}
