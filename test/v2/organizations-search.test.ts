import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { created, searchPage } from '../helpers/search.ts';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const search = (api: Api, params: Record<string, string | number | boolean>) => searchPage(api, '/api/v2/organizations/search', params);

const names = (items: Array<{ item: Record<string, any> }>) => items.map((i) => i.item.name);

const addOrganization = (api: Api, body: Record<string, unknown>) => created(api, '/api/v2/organizations', body);

for (const backend of testBackends()) {
  describe(`v2 organizations search [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('finds organizations by name and address, best matches first, in the v2 item shape', async () => {
      const { api, userId } = await newTenant(server);
      const acme = await addOrganization(api, { name: 'Acme', address: { value: 'Main Street 1, Springfield' }, visible_to: 7 });
      const acmeWidgets = await addOrganization(api, { name: 'Acme Widgets' });
      const bigAcme = await addOrganization(api, { name: 'Big Acmeco' });
      await addOrganization(api, { name: 'Globex', address: { value: 'Acme Road 5' } });
      await addOrganization(api, { name: 'Initech' });

      const found = await search(api, { term: 'acme' });
      // The whole name, then a whole word (name before address), then a word starting with the term.
      assert.deepEqual(names(found.items), ['Acme', 'Acme Widgets', 'Globex', 'Big Acmeco']);
      const scores = found.items.map((i) => i.result_score);
      assert.deepEqual([...scores].sort((a, b) => b - a), scores, 'scores fall down the list');
      assert.ok(scores[0] > scores[1] && scores[1] > scores[2] && scores[2] > scores[3]);
      assert.deepEqual(found.items[0].item, {
        id: acme.id,
        type: 'organization',
        name: 'Acme',
        address: 'Main Street 1, Springfield',
        visible_to: 7,
        owner: { id: userId },
        custom_fields: [],
        notes: [],
      });
      assert.equal(found.nextCursor, null);
      assert.deepEqual(names((await search(api, { term: 'acme', fields: 'name' })).items), ['Acme', 'Acme Widgets', 'Big Acmeco']);
      assert.deepEqual(names((await search(api, { term: 'springfield', fields: 'address' })).items), ['Acme']);
      assert.deepEqual(names((await search(api, { term: 'ACME widgets', exact_match: true })).items), ['Acme Widgets']);
      assert.deepEqual((await search(api, { term: 'acm', exact_match: true })).items, []);
      assert.ok(acmeWidgets.id < bigAcme.id);
    });

    it('pages by cursor without gaps or repeats, and refuses a cursor from another search', async () => {
      const { api } = await newTenant(server);
      const created = [];
      for (let i = 0; i < 7; i++) created.push((await addOrganization(api, { name: `Paging Org ${i}` })).id);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await search(api, { term: 'paging', limit: 3, ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((i) => i.item.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, created);
      const first = await search(api, { term: 'paging', limit: 3 });
      const other = await api.get(`/api/v2/organizations/search?term=org&limit=3&cursor=${encodeURIComponent(first.nextCursor as string)}`);
      assert.equal(other.status, 400);
      assert.equal(other.body.error, 'cursor was issued for another search');
      const fromPersons = await api.get(`/api/v2/persons/search?term=paging&cursor=${encodeURIComponent(first.nextCursor as string)}`);
      assert.equal(fromPersons.status, 400, 'a cursor of an organization search does not page a person search');
    });

    it("finds only the caller's company's organizations, and only those the caller may see", async () => {
      const tenant = await newTenant(server);
      const stranger = await newTenant(server);
      const colleague = await tenant.addUser();
      await addOrganization(tenant.api, { name: 'Privateco', visible_to: 1 });
      await addOrganization(tenant.api, { name: 'Publicco', visible_to: 7 });
      await addOrganization(stranger.api, { name: 'Strangerco', visible_to: 7 });
      assert.deepEqual(names((await search(tenant.api, { term: 'co' })).items), ['Privateco', 'Publicco']);
      assert.deepEqual(names((await search(colleague.api, { term: 'co' })).items), ['Publicco']);
      assert.deepEqual(names((await search(stranger.api, { term: 'co' })).items), ['Strangerco']);
    });

    it('refuses bad input in the error envelope', async () => {
      const { api } = await newTenant(server);
      for (const [query, message] of [
        ['term=a', /term must be at least 2 characters/],
        ['term=acme&fields=email', /fields/],
        ['term=acme&limit=501', /limit/],
        ['', /term/],
      ] as const) {
        const res = await api.get(`/api/v2/organizations/search?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.success, false);
        assert.match(`${res.body.error} ${res.body.error_info ?? ''}`, message, query);
      }
      assert.equal((await new (api.constructor as typeof Api)(api.baseUrl, undefined).get('/api/v2/organizations/search?term=acme')).status, 401);
    });
  });
}
