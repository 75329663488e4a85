import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { clientError, officialClient } from '../helpers/client.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official pipedrive client: person fields and custom values [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('drives v2 PersonFieldsApi and v2 PersonsApi with custom_fields', async () => {
      const tenant = await newTenant(server);
      const client = officialClient(server, tenant.token);
      const fieldsApi = new v2.PersonFieldsApi(client.v2);
      const personsApi = new v2.PersonsApi(client.v2);

      const { data: tier } = await fieldsApi.addPersonField({
        AddPersonFieldRequest: { field_name: 'Tier', field_type: 'enum', options: [{ label: 'Gold' }, { label: 'Silver' }] },
      });
      const { data: budget } = await fieldsApi.addPersonField({ AddPersonFieldRequest: { field_name: 'Budget', field_type: 'monetary' } });
      assert.match(tier!.field_code!, /^[0-9a-f]{40}$/);

      const { data: added } = await fieldsApi.addPersonFieldOptions({ field_code: tier!.field_code!, AddDealFieldOptionsRequestInner: [{ label: 'Bronze' }] });
      assert.deepEqual(added!.map((o) => o.label), ['Bronze']);
      const { data: relabelled } = await fieldsApi.updatePersonFieldOptions({
        field_code: tier!.field_code!,
        UpdateDealFieldOptionsRequestInner: [{ id: added![0].id!, label: 'Bronze+' }],
      });
      assert.equal(relabelled![0].label, 'Bronze+');
      const { data: renamed } = await fieldsApi.updatePersonField({ field_code: tier!.field_code!, UpdatePersonFieldRequest: { field_name: 'Level' } });
      assert.equal(renamed!.field_name, 'Level');

      const gold = tier!.options![0].id as number;
      const { data: person } = await personsApi.addPerson({
        AddPersonRequest: { name: 'Jane', custom_fields: { [tier!.field_code!]: gold, [budget!.field_code!]: { value: 100, currency: 'EUR' } } },
      });
      assert.deepEqual(person!.custom_fields, { [tier!.field_code!]: gold, [budget!.field_code!]: { value: 100, currency: 'EUR' } });
      const { data: updated } = await personsApi.updatePerson({ id: person!.id!, UpdatePersonRequest: { custom_fields: { [budget!.field_code!]: null } } });
      assert.deepEqual(updated!.custom_fields, { [tier!.field_code!]: gold });
      const { data: expanded } = await personsApi.getPerson({ id: person!.id!, include_option_labels: true, custom_fields: tier!.field_code! });
      assert.deepEqual(expanded!.custom_fields, { [tier!.field_code!]: { id: gold, label: 'Gold' } });
      const page = await personsApi.getPersons({ include_option_labels: true });
      assert.deepEqual((page.data![0].custom_fields as any)[tier!.field_code!], { id: gold, label: 'Gold' });

      const refused = await clientError(personsApi.addPerson({ AddPersonRequest: { name: 'X', custom_fields: { [tier!.field_code!]: 'Gold' } } }));
      assert.match(refused.error, new RegExp(`custom_fields\\.${tier!.field_code}`));

      const { data: fields, additional_data } = await fieldsApi.getPersonFields({ limit: 500, include_fields: 'required_fields' });
      assert.equal(additional_data!.next_cursor, null);
      assert.ok(fields!.some((f) => f.field_code === 'label_ids' && f.required_fields?.enabled === false));
      const { data: one } = await fieldsApi.getPersonField({ field_code: budget!.field_code! });
      assert.deepEqual(one!.subfields!.map((s) => s.field_code), ['value', 'currency']);

      const { data: deletedOptions } = await fieldsApi.deletePersonFieldOptions({ field_code: tier!.field_code!, DeleteDealFieldOptionsRequestInner: [{ id: gold }] });
      assert.equal(deletedOptions![0].id, gold);
      assert.deepEqual((await personsApi.getPerson({ id: person!.id! })).data!.custom_fields, {});
      const { data: deleted } = await fieldsApi.deletePersonField({ field_code: budget!.field_code! });
      assert.equal(deleted!.field_code, budget!.field_code);
    });

    it('drives v1 PersonFieldsApi', async () => {
      const tenant = await newTenant(server);
      const api = new v1.PersonFieldsApi(officialClient(server, tenant.token).v1);
      const { data: created } = await api.addPersonField({ CreateFieldRequest: { name: 'Segment', field_type: 'set', options: [{ label: 'A' }, { label: 'B' }] } });
      assert.equal(created!.edit_flag, true);
      const [a] = created!.options as { id: number; label: string }[];
      const { data: updated } = await api.updatePersonField({ id: created!.id!, UpdateFieldRequest: { name: 'Segments', options: [{ id: a.id, label: 'A' }, { label: 'C' }] } });
      assert.deepEqual((updated!.options as { label: string }[]).map((o) => o.label), ['A', 'C']);
      const { data: one } = await api.getPersonField({ id: created!.id! });
      assert.equal(one!.name, 'Segments');
      const list = await api.getPersonFields({ start: 0, limit: 5 });
      assert.equal(list.data!.length, 5);
      assert.equal((list.additional_data as any).pagination.more_items_in_collection, true);
      const other = (await api.addPersonField({ CreateFieldRequest: { name: 'Tmp', field_type: 'varchar' } })).data!;
      const { data: bulk } = await api.deletePersonFields({ ids: `${created!.id},${other.id}` });
      assert.deepEqual(bulk!.id, [created!.id, other.id]);
      const gone = await clientError(api.deletePersonField({ id: other.id! }));
      assert.equal(gone.error, 'The field is not found');
    });
  });
}
