import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { created, searchPage } from '../helpers/search.ts';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const search = (api: Api, params: Record<string, string | number | boolean>) => searchPage(api, '/api/v2/deals/search', params);

const titles = (items: Array<{ item: Record<string, any> }>) => items.map((i) => i.item.title);

const add = created;

for (const backend of testBackends()) {
  describe(`v2 deals search [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('finds deals by title, best matches first, with their person and organization', async () => {
      const { api, userId } = await newTenant(server);
      const org = await add(api, '/api/v2/organizations', { name: 'Umbrella' });
      const person = await add(api, '/api/v2/persons', { name: 'Alice Abernathy' });
      const renewal = await add(api, '/api/v2/deals', { title: 'Renewal', value: 1200, currency: 'EUR', person_id: person.id, org_id: org.id });
      await add(api, '/api/v2/deals', { title: 'Contract renewal 2027' });
      await add(api, '/api/v2/deals', { title: 'Prerenewals' });
      await add(api, '/api/v2/deals', { title: 'Unrelated' });

      const stage = (await api.get(`/api/v2/stages/${renewal.stage_id}`)).body.data;
      const found = await search(api, { term: 'renewal' });
      assert.deepEqual(titles(found.items), ['Renewal', 'Contract renewal 2027', 'Prerenewals']);
      assert.deepEqual(found.items[0].item, {
        id: renewal.id,
        type: 'deal',
        title: 'Renewal',
        value: 1200,
        currency: 'EUR',
        status: 'open',
        visible_to: 3,
        owner: { id: userId },
        stage: { id: stage.id, name: stage.name },
        person: { id: person.id, name: 'Alice Abernathy' },
        organization: { id: org.id, name: 'Umbrella', address: null },
        custom_fields: [],
        notes: [],
        is_archived: false,
      });
      assert.deepEqual(titles((await search(api, { term: 'RENEWAL', exact_match: true })).items), ['Renewal']);
      assert.deepEqual((await search(api, { term: 'renewal', fields: 'notes' })).items, [], 'personsd keeps no deal notes');
    });

    it('filters by person, organization and status, keeping pages full, with cursors bound to the filters', async () => {
      const { api } = await newTenant(server);
      const person = await add(api, '/api/v2/persons', { name: 'Filter Person' });
      const org = await add(api, '/api/v2/organizations', { name: 'Filter Org' });
      const mine: number[] = [];
      for (let i = 0; i < 12; i++) {
        // Every third deal belongs to the person; the others are noise between them.
        const deal = await add(api, '/api/v2/deals', { title: `Pipeline deal ${i}`, ...(i % 3 === 0 ? { person_id: person.id } : { org_id: org.id }) });
        if (i % 3 === 0) mine.push(deal.id);
      }
      await api.patch(`/api/v2/deals/${mine[1]}`, { status: 'won' });

      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await search(api, { term: 'pipeline', person_id: person.id, limit: 2, ...(cursor ? { cursor } : {}) });
        if (page.nextCursor) assert.equal(page.items.length, 2, 'a page with a next cursor is full');
        seen.push(...page.items.map((i) => i.item.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      assert.deepEqual(seen, mine);
      assert.equal(pages, 2);
      assert.equal((await search(api, { term: 'pipeline', organization_id: org.id })).items.length, 8);
      assert.deepEqual((await search(api, { term: 'pipeline', person_id: person.id, status: 'won' })).items.map((i) => i.item.id), [mine[1]]);
      assert.equal((await search(api, { term: 'pipeline', status: 'open' })).items.length, 11);

      const first = await search(api, { term: 'pipeline', person_id: person.id, limit: 2 });
      const elsewhere = await api.get(`/api/v2/deals/search?term=pipeline&limit=2&cursor=${encodeURIComponent(first.nextCursor as string)}`);
      assert.equal(elsewhere.status, 400, 'the cursor belongs to the filtered search');
      assert.equal(elsewhere.body.error, 'cursor was issued for another search');
    });

    it('finds only deals the caller may see, and shows their hidden person or organization as null', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const hiddenPerson = await add(tenant.api, '/api/v2/persons', { name: 'Hidden Person', visible_to: 1 });
      const hiddenOrg = await add(tenant.api, '/api/v2/organizations', { name: 'Hidden Org', visible_to: 1 });
      await add(tenant.api, '/api/v2/deals', { title: 'Secret merger', visible_to: 1 });
      await add(tenant.api, '/api/v2/deals', { title: 'Shared merger', visible_to: 7, person_id: hiddenPerson.id, org_id: hiddenOrg.id });
      const stranger = await newTenant(server);
      await add(stranger.api, '/api/v2/deals', { title: 'Stranger merger', visible_to: 7 });

      assert.deepEqual(titles((await search(tenant.api, { term: 'merger' })).items), ['Secret merger', 'Shared merger']);
      const seen = (await search(colleague.api, { term: 'merger' })).items;
      assert.deepEqual(titles(seen), ['Shared merger']);
      assert.equal(seen[0].item.person, null);
      assert.equal(seen[0].item.organization, null);
      assert.deepEqual((await search(colleague.api, { term: 'merger', person_id: hiddenPerson.id })).items.map((i) => i.item.title), ['Shared merger'], 'the filter is by id, the deal itself is visible');
    });

    it('refuses bad input in the error envelope', async () => {
      const { api } = await newTenant(server);
      for (const query of ['term=x', 'term=deal&status=archived', 'term=deal&fields=name', 'term=deal&include_fields=person.picture', 'term=deal&person_id=abc']) {
        const res = await api.get(`/api/v2/deals/search?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.success, false, query);
      }
    });
  });
}
