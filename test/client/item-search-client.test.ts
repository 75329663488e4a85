import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

// The client types `item` as a bare object and the field search's rows as {result_score, item}; personsd answers
// with Pipedrive's documented example shape ({id, <field>}), so the tests read both as plain records.
type Item = { result_score: number; item: Record<string, any> };
const described = (items: unknown[] | undefined) => (items as Item[]).map((i) => `${i.item.type}:${i.item.id}`);

for (const backend of testBackends()) {
  describe(`official pipedrive client: item search and user search [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('v2 ItemSearchApi.searchItem finds persons, organizations and deals, best first, and pages by cursor', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const { data: org } = await new v2.OrganizationsApi(client.v2).addOrganization({ AddOrganizationRequest: { name: 'Pendant Publishing' } });
      const persons = new v2.PersonsApi(client.v2);
      const elaine = (await persons.addPerson({ AddPersonRequest: { name: 'Elaine Pendant', org_id: org!.id } })).data!;
      const { data: deal } = await new v2.DealsApi(client.v2).addDeal({ AddDealRequest: { title: 'Pendant reprint', value: 900, person_id: elaine.id, org_id: org!.id } });
      const search = new v2.ItemSearchApi(client.v2);

      const found = await search.searchItem({ term: 'pendant' });
      const sent = suite.traffic.last();
      assert.equal(sent.path, '/api/v2/itemSearch');
      assert.equal(sent.query.get('term'), 'pendant');
      assert.equal(sent.status, 200);
      assert.equal(found.success, true);
      // Word starts in a name (person, organization) rank together, persons first; a deal title word next.
      assert.deepEqual(described(found.data!.items), [`person:${elaine.id}`, `organization:${org!.id}`, `deal:${deal!.id}`]);
      const dealItem = (found.data!.items as Item[])[2];
      assert.equal(dealItem.item.title, 'Pendant reprint');
      assert.deepEqual(dealItem.item.person, { id: elaine.id, name: 'Elaine Pendant' });
      assert.deepEqual(found.data!.related_items, []);
      assert.equal(found.additional_data!.next_cursor, null);

      const onlyDeals = await search.searchItem({ term: 'pendant', item_types: 'deal', fields: 'title' });
      assert.equal(suite.traffic.last().query.get('item_types'), 'deal');
      assert.deepEqual(described(onlyDeals.data!.items), [`deal:${deal!.id}`]);
      // A comma list is what the API takes, though the client types one value.
      const two = await search.searchItem({ term: 'pendant', item_types: 'deal,organization' as 'deal' });
      assert.deepEqual(described(two.data!.items), [`organization:${org!.id}`, `deal:${deal!.id}`]);
      const exact = await search.searchItem({ term: 'PENDANT PUBLISHING', exact_match: true });
      assert.equal(suite.traffic.last().query.get('exact_match'), 'true');
      assert.deepEqual(described(exact.data!.items), [`organization:${org!.id}`]);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await search.searchItem({ term: 'pendant', limit: 2, cursor });
        assert.ok(page.data!.items!.length <= 2);
        seen.push(...described(page.data!.items));
        cursor = page.additional_data!.next_cursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, described(found.data!.items));

      const body = await clientError(search.searchItem({ term: 'pendant', search_for_related_items: true }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(body.error, /search_for_related_items is not supported/);
    });

    it('v2 ItemSearchApi.searchItemByField answers {id, <field>} by exact, beginning or middle match, paged by cursor', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const persons = new v2.PersonsApi(client.v2);
      const ids: number[] = [];
      for (const name of ['Kenny Bania', 'Kenny Rogers', 'kenny lowercase']) ids.push((await persons.addPerson({ AddPersonRequest: { name } })).data!.id!);
      const search = new v2.ItemSearchApi(client.v2);

      const exact = await search.searchItemByField({ term: 'Kenny Rogers', entity_type: 'person', field: 'name' });
      const sent = suite.traffic.last();
      assert.equal(sent.path, '/api/v2/itemSearch/field');
      assert.equal(sent.query.get('entity_type'), 'person');
      assert.equal(sent.query.get('field'), 'name');
      assert.equal(sent.query.get('match'), null, 'exact is the default');
      assert.deepEqual(exact.data, [{ id: ids[1], name: 'Kenny Rogers' }]);

      const beginning = await search.searchItemByField({ term: 'Kenny', entity_type: 'person', field: 'name', match: 'beginning' });
      assert.deepEqual(beginning.data, [{ id: ids[0], name: 'Kenny Bania' }, { id: ids[1], name: 'Kenny Rogers' }], 'case-sensitive');
      const first = await search.searchItemByField({ term: 'enny', entity_type: 'person', field: 'name', match: 'middle', limit: 2 });
      assert.equal(first.data!.length, 2);
      assert.ok(first.additional_data!.next_cursor);
      const second = await search.searchItemByField({ term: 'enny', entity_type: 'person', field: 'name', match: 'middle', limit: 2, cursor: first.additional_data!.next_cursor! });
      assert.equal(second.additional_data!.next_cursor, null);
      const all = [...first.data!, ...second.data!] as unknown as Array<{ id: number }>;
      assert.deepEqual(all.map((r) => r.id).sort((a, b) => a - b), ids);

      const products = await search.searchItemByField({ term: 'Kenny', entity_type: 'product', field: 'name' });
      assert.deepEqual(products.data, [], 'personsd stores no products');
      const body = await clientError(search.searchItemByField({ term: 'Kenny', entity_type: 'person', field: 'birthday' }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(body.error, /field "birthday" is not a searchable field of persons/);
    });

    it('v1 UsersApi.findUsersByName finds users by name, or by email with search_by_email', async () => {
      const tenant = await newTenant(suite.server);
      const colleague = await tenant.addUser();
      const users = new v1.UsersApi(officialClient(suite.server, tenant.token).v1);
      const colleagueRow = (await users.getUser({ id: colleague.userId })).data!;

      const byName = await users.findUsersByName({ term: 'test adm' });
      const sent = suite.traffic.last();
      assert.equal(sent.path, '/v1/users/find');
      assert.equal(sent.query.get('term'), 'test adm');
      assert.equal(sent.status, 200);
      assert.deepEqual(byName.data!.map((u) => [u.id, u.is_you]), [[tenant.userId, true]]);

      const byEmail = await users.findUsersByName({ term: colleagueRow.email!.slice(0, 12), search_by_email: 1 });
      assert.equal(suite.traffic.last().query.get('search_by_email'), '1');
      assert.deepEqual(byEmail.data!.map((u) => [u.id, u.email]), [[colleague.userId, colleagueRow.email]]);
      assert.deepEqual((await users.findUsersByName({ term: colleagueRow.email! })).data, [], 'an email is not a name');
    });
  });
}
