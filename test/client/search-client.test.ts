import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v2 } from 'pipedrive';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official pipedrive client: search [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('v2 PersonsApi.searchPersons finds, filters and pages', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const persons = new v2.PersonsApi(client.v2);
      const { data: org } = await new v2.OrganizationsApi(client.v2).addOrganization({ AddOrganizationRequest: { name: 'Client Org' } });
      const jane = (await persons.addPerson({ AddPersonRequest: { name: 'Jane Client', org_id: org!.id, emails: [{ value: 'jane@client.example' }], phones: [{ value: '+1 415 555 0100' }] } })).data!;
      const john = (await persons.addPerson({ AddPersonRequest: { name: 'John Client', emails: [{ value: 'john@client.example' }] } })).data!;

      const found = await persons.searchPersons({ term: 'client' });
      const sent = suite.traffic.last();
      assert.equal(sent.path, '/api/v2/persons/search');
      assert.equal(sent.query.get('term'), 'client');
      assert.equal(sent.status, 200);
      assert.equal(found.success, true);
      assert.deepEqual(found.data!.items!.map((i) => i.item!.id), [jane.id, john.id]);
      const item = found.data!.items![0].item!;
      assert.equal(item.type, 'person');
      assert.deepEqual(item.emails, ['jane@client.example']);
      assert.deepEqual(item.phones, ['+1 415 555 0100']);
      assert.equal(item.organization!.name, 'Client Org');
      assert.equal(typeof found.data!.items![0].result_score, 'number');
      assert.equal(found.additional_data!.next_cursor, null);

      const byPhone = await persons.searchPersons({ term: '4155550100', fields: 'phone' });
      assert.deepEqual(byPhone.data!.items!.map((i) => i.item!.id), [jane.id]);
      const exact = await persons.searchPersons({ term: 'JOHN CLIENT', exact_match: true });
      assert.equal(suite.traffic.last().query.get('exact_match'), 'true');
      assert.deepEqual(exact.data!.items!.map((i) => i.item!.id), [john.id]);
      const inOrg = await persons.searchPersons({ term: 'client', organization_id: org!.id });
      assert.deepEqual(inOrg.data!.items!.map((i) => i.item!.id), [jane.id]);

      const first = await persons.searchPersons({ term: 'client', limit: 1 });
      assert.ok(first.additional_data!.next_cursor);
      const second = await persons.searchPersons({ term: 'client', limit: 1, cursor: first.additional_data!.next_cursor });
      assert.deepEqual([...first.data!.items!, ...second.data!.items!].map((i) => i.item!.id), [jane.id, john.id]);
      assert.equal(second.additional_data!.next_cursor, null);
    });

    it('v2 OrganizationsApi.searchOrganization finds by name or address and pages by cursor', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const organizations = new v2.OrganizationsApi(client.v2);
      const ids = [];
      for (const name of ['Harbor Freight', 'Harbor Lights', 'Old Harborside']) {
        ids.push((await organizations.addOrganization({ AddOrganizationRequest: { name } })).data!.id);
      }
      const depot = (await organizations.addOrganization({ AddOrganizationRequest: { name: 'Depot', address: { value: '1 Harbor Way' } } })).data!;

      const first = await organizations.searchOrganization({ term: 'harbor', limit: 2 });
      const sent = suite.traffic.last();
      assert.equal(sent.path, '/api/v2/organizations/search');
      assert.equal(sent.query.get('limit'), '2');
      assert.equal(sent.status, 200);
      assert.deepEqual(first.data!.items!.map((i) => i.item!.id), [ids[0], ids[1]]);
      assert.equal(first.data!.items![0].item!.type, 'organization');
      const cursor = first.additional_data!.next_cursor!;
      const rest = await organizations.searchOrganization({ term: 'harbor', limit: 2, cursor });
      assert.deepEqual(rest.data!.items!.map((i) => i.item!.id), [depot.id, ids[2]], 'an address word, then a word start');
      const byAddress = await organizations.searchOrganization({ term: 'harbor way', fields: 'address' });
      assert.deepEqual(byAddress.data!.items!.map((i) => i.item!.address), ['1 Harbor Way']);
    });

    it('v2 DealsApi.searchDeals finds by title and filters by person and status', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const deals = new v2.DealsApi(client.v2);
      const { data: person } = await new v2.PersonsApi(client.v2).addPerson({ AddPersonRequest: { name: 'Deal Person' } });
      const ids = [];
      for (const title of ['Expansion', 'Expansion phase 2', 'Reexpansion']) {
        ids.push((await deals.addDeal({ AddDealRequest: { title, person_id: person!.id } })).data!.id!);
      }
      await deals.addDeal({ AddDealRequest: { title: 'Expansion elsewhere' } });
      await deals.updateDeal({ id: ids[1], UpdateDealRequest: { status: 'won' } });

      const found = await deals.searchDeals({ term: 'expansion', person_id: person!.id });
      const sent = suite.traffic.last();
      assert.equal(sent.path, '/api/v2/deals/search');
      assert.equal(sent.query.get('person_id'), String(person!.id));
      assert.equal(sent.status, 200);
      assert.deepEqual(found.data!.items!.map((i) => i.item!.id), ids);
      assert.equal(found.data!.items![0].item!.title, 'Expansion');
      const won = await deals.searchDeals({ term: 'expansion', status: 'won' });
      assert.deepEqual(won.data!.items!.map((i) => i.item!.id), [ids[1]]);
    });

    it('v2 PersonsApi.searchPersons gets a 400 body for a short term', async () => {
      const tenant = await newTenant(suite.server);
      const persons = new v2.PersonsApi(officialClient(suite.server, tenant.token).v2);
      const body = await clientError(persons.searchPersons({ term: 'j' }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(body.error, /term must be at least 2 characters/);
    });
  });
}
