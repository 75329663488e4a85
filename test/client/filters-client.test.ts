import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official client: v1 FiltersApi and filter_id [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('adds, lists, reads, updates and deletes filters, and lists persons through one', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const filters = new v1.FiltersApi(client.v1);
      const persons = new v2.PersonsApi(client.v2);
      const fields = (await new v1.PersonFieldsApi(client.v1).getPersonFields({ limit: 500 })).data!;
      const nameId = String(fields.find((f) => f.key === 'name')!.id);
      const { data: ada } = await persons.addPerson({ AddPersonRequest: { name: 'Ada Lovelace' } });
      await persons.addPerson({ AddPersonRequest: { name: 'Grace Hopper' } });
      const conditions = { glue: 'and', conditions: [{ glue: 'and', conditions: [{ object: 'person', field_id: nameId, operator: "LIKE '$%'", value: 'ada', extra_value: null }] }, { glue: 'or', conditions: [] }] };

      const added = await filters.addFilter({ AddFilterRequest: { name: 'Adas', type: 'people', conditions } });
      assert.equal(suite.traffic.last().path, '/v1/filters');
      const id = added.data!.id!;
      assert.equal(added.data!.type, 'people');
      assert.equal(added.data!.conditions!.conditions![0].conditions![0].value, 'ada');

      const listed = await persons.getPersons({ filter_id: id });
      assert.equal(suite.traffic.last().query.get('filter_id'), String(id));
      assert.deepEqual(listed.data!.map((p) => p.id), [ada!.id]);

      assert.deepEqual((await filters.getFilters({ type: 'people' })).data!.map((f) => f.id), [id]);
      const one = await filters.getFilter({ id, include_field_code: true });
      assert.equal(one.data!.conditions!.conditions![0].conditions![0].field_code, 'name');
      const updated = await filters.updateFilter({ id, UpdateFilterRequest: { name: 'Graces', conditions: { ...conditions, conditions: [{ glue: 'and', conditions: [{ object: 'person', field_id: nameId, operator: '=', value: 'Grace Hopper', extra_value: null }] }] } } });
      assert.equal(updated.data!.name, 'Graces');
      assert.deepEqual((await persons.getPersons({ filter_id: id })).data!.map((p) => p.name), ['Grace Hopper']);
      const helpers = (await filters.getFilterHelpers()) as { data: { operators: Record<string, Record<string, string>> } };
      assert.equal(helpers.data.operators.varchar['='], 'is');

      // An activity filter may test the activity's person; a leads filter is refused (personsd stores no leads).
      const tasks = await filters.addFilter({ AddFilterRequest: { name: 'Tasks', type: 'activity', conditions } });
      assert.equal(tasks.data!.type, 'activity');
      const refused = await clientError(filters.addFilter({ AddFilterRequest: { name: 'Leads', type: 'leads', conditions } }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(refused.error, /leads filters are not supported/);
      await filters.deleteFilter({ id: tasks.data!.id! });

      assert.equal((await filters.deleteFilter({ id })).data!.id, id);
      const second = (await filters.addFilter({ AddFilterRequest: { name: 'Again', type: 'people', conditions } })).data!.id!;
      assert.deepEqual((await filters.deleteFilters({ ids: String(second) })).data!.id, [second]);
      const gone = await clientError(persons.getPersons({ filter_id: id }));
      assert.equal(suite.traffic.last().status, 404);
      assert.match(gone.error, /Filter not found/);
    });
  });
}
