import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pipedrive22 from 'pipedrive-v22';
import { v1 as v1of24 } from 'pipedrive-v24';
import { officialClientSuite } from '../helpers/client.ts';
import { type TestServer, newTenant, testBackends } from '../helpers/server.ts';

/** The v1 person calls an integration built on an older major of the official client makes, behind one face. */
interface V1PersonsCalls {
  version: string;
  add(body: Record<string, unknown>): Promise<any>;
  get(id: number): Promise<any>;
  list(start: number, limit: number): Promise<any>;
  update(id: number, body: Record<string, unknown>): Promise<any>;
  remove(id: number): Promise<any>;
  removeMany(ids: string): Promise<any>;
  search(term: string, start: number, limit: number): Promise<any>;
  deals(id: number): Promise<any>;
}

/** 22.x: one ApiClient (superagent), the token in `api_token`, positional arguments. */
function client22(server: TestServer, token: string): V1PersonsCalls {
  const client = new pipedrive22.ApiClient();
  client.basePath = `${server.url}/v1`;
  client.authentications.api_key.apiKey = token;
  const api = new pipedrive22.PersonsApi(client);
  return {
    version: '22',
    add: (body) => api.addPerson(body),
    get: (id) => api.getPerson(id),
    list: (start, limit) => api.getPersons({ start, limit }),
    update: (id, body) => api.updatePerson(id, body),
    remove: (id) => api.deletePerson(id),
    removeMany: (ids) => api.deletePersons(ids),
    search: (term, start, limit) => api.searchPersons(term, { start, limit }),
    deals: (id) => api.getPersonDeals(id, {}),
  };
}

/** 24.x: the v1 namespace (axios), configured as the current client is, with request-parameter objects. */
function client24(server: TestServer, token: string): V1PersonsCalls {
  const api = new v1of24.PersonsApi(new v1of24.Configuration({ apiKey: token, basePath: `${server.url}/api/v1` }));
  return {
    version: '24',
    add: (body) => api.addPerson({ AddPersonRequest: body as any }),
    get: (id) => api.getPerson({ id }),
    list: (start, limit) => api.getPersons({ start, limit }),
    update: (id, body) => api.updatePerson({ id, UpdatePersonRequest: body as any }),
    remove: (id) => api.deletePerson({ id }),
    removeMany: (ids) => api.deletePersons({ ids }),
    search: (term, start, limit) => api.searchPersons({ term, start, limit }),
    deals: (id) => api.getPersonDeals({ id }),
  };
}

/** 22.x hands back its model classes; compare their JSON. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

/** What the client hands the caller when a call fails (each major rejects with its own error object). */
async function failure(call: Promise<unknown>): Promise<Record<string, any>> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, any>;
  }
  assert.fail('the call was expected to fail');
}

for (const backend of testBackends()) {
  describe(`v1 PersonsApi of older official clients [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    for (const make of [client22, client24]) {
      it(`pipedrive ${make === client22 ? '22.x' : '24.x'}: create, get, list to the end, update, search, deals, delete, bulk delete`, async () => {
        const tenant = await newTenant(suite.server);
        const calls = make(suite.server, tenant.token);
        const nickname = (await tenant.api.post('/v1/personFields', { name: 'Nickname', field_type: 'varchar' })).body.data.key;
        const budget = (await tenant.api.post('/v1/personFields', { name: 'Budget', field_type: 'monetary' })).body.data.key;

        const added = await calls.add({
          name: 'Grace Hopper',
          email: [{ value: 'grace@navy.example', primary: true, label: 'work' }],
          phone: [{ value: '+1 202 555 0100', label: 'mobile' }],
          visible_to: '3',
          [nickname]: 'Amazing Grace',
          [budget]: 1500,
          [`${budget}_currency`]: 'EUR',
        });
        assert.equal(suite.traffic.last().status, 201);
        assert.equal(added.success, true);
        const id = added.data.id as number;
        assert.equal(added.data.name, 'Grace Hopper');
        assert.deepEqual(plain(added.data.email), [{ value: 'grace@navy.example', primary: true, label: 'work' }]);
        assert.equal(added.data.visible_to, '3');
        // What the server stored, whatever the client's model keeps of the answer.
        const v2 = (await tenant.api.get(`/api/v2/persons/${id}`)).body.data;
        assert.deepEqual(v2.custom_fields, { [nickname]: 'Amazing Grace', [budget]: { value: 1500, currency: 'EUR' } });
        assert.deepEqual(v2.phones, [{ value: '+1 202 555 0100', primary: true, label: 'mobile' }]);

        const got = await calls.get(id);
        assert.equal(got.data.id, id);
        assert.equal(got.data.owner_id.value ?? got.data.owner_id.id, tenant.userId);
        assert.equal(suite.traffic.last().path, `${make === client22 ? '/v1' : '/api/v1'}/persons/${id}`);

        const more = [];
        for (const name of ['Ada Lovelace', 'Alan Turing', 'Edsger Dijkstra']) more.push((await calls.add({ name })).data.id as number);
        const listed: number[] = [];
        let start = 0;
        for (;;) {
          const page = await calls.list(start, 2);
          listed.push(...(page.data ?? []).map((p: { id: number }) => p.id));
          const pagination = page.additional_data.pagination;
          if (!pagination.more_items_in_collection) break;
          start = pagination.next_start;
        }
        assert.deepEqual(listed, [id, ...more]);

        const updated = await calls.update(id, { name: 'Grace B. Hopper', [nickname]: 'Admiral' });
        assert.equal(updated.data.name, 'Grace B. Hopper');
        assert.equal((await tenant.api.get(`/api/v2/persons/${id}`)).body.data.custom_fields[nickname], 'Admiral');

        const found = await calls.search('hopper', 0, 10);
        assert.deepEqual(found.data.items.map((i: { item: { id: number } }) => i.item.id), [id]);

        await tenant.api.post('/api/v2/deals', { title: 'Compiler', person_id: id, value: 10 });
        const deals = await calls.deals(id);
        assert.deepEqual(deals.data.map((d: { title: string }) => d.title), ['Compiler']);

        const removed = await calls.remove(more[0]);
        assert.equal(removed.data.id, more[0]);
        const bulk = await calls.removeMany(`${more[1]},${more[2]}`);
        assert.deepEqual(bulk.data.id, [more[1], more[2]]);
        assert.deepEqual((await tenant.api.get('/api/v2/persons')).body.data.map((p: { id: number }) => p.id), [id]);

        const missing = await failure(calls.get(more[0]));
        assert.equal(suite.traffic.last().status, 404);
        assert.equal(missing.success ?? missing.body?.success, false);
        await failure(calls.add({ email: 'nobody@example.com' }));
        assert.equal(suite.traffic.last().status, 400);
      });
    }
  });
}
