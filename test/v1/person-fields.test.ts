import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customFieldsToV1 } from '../../src/domain/person-fields/custom-fields-v1.ts';
import { loadPersonFields } from '../../src/domain/person-fields/definitions.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`v1 personFields [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('lists system fields with v1 keys and offset pagination', async () => {
      const { api } = await newTenant(server);
      const all = await api.get('/v1/personFields');
      assert.equal(all.status, 200);
      assert.deepEqual(all.body.additional_data.pagination, { start: 0, limit: 100, more_items_in_collection: false });
      const keys = all.body.data.map((f: any) => f.key);
      assert.ok(keys.includes('label') && !keys.includes('label_ids'), 'v1 calls the label field "label"');
      const name = all.body.data.find((f: any) => f.key === 'name');
      assert.equal(name.mandatory_flag, true);
      assert.equal(name.edit_flag, false);
      assert.equal(name.searchable_flag, true);
      assert.match(name.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const label = all.body.data.find((f: any) => f.key === 'label');
      assert.deepEqual(label.options.map((o: any) => [o.label, o.color]), [['Customer', 'green'], ['Hot lead', 'red'], ['Warm lead', 'yellow'], ['Cold lead', 'blue']]);

      const page = await api.get('/v1/personFields?start=3&limit=4');
      assert.deepEqual(page.body.data.map((f: any) => f.key), keys.slice(3, 7));
      assert.deepEqual(page.body.additional_data.pagination, { start: 3, limit: 4, more_items_in_collection: true, next_start: 7 });
      const last = await api.get(`/v1/personFields?start=${keys.length - 1}`);
      assert.equal(last.body.data.length, 1);
      assert.equal(last.body.additional_data.pagination.more_items_in_collection, false);
      assert.equal((await api.get('/v1/personFields?limit=501')).status, 400);
      assert.equal((await api.get('/api/v1/personFields')).status, 200, 'also under /api/v1');
    });

    it('creates, updates (options replaced as a whole) and deletes a field', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/v1/personFields', { name: 'Tier', field_type: 'set', options: [{ label: 'Gold' }, { label: 'Silver' }, { label: 'Bronze' }] });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const field = created.body.data;
      assert.match(field.key, /^[0-9a-f]{40}$/);
      assert.equal(field.edit_flag, true);
      assert.equal(field.add_visible_flag, true, 'v1 defaults add_visible_flag to true');
      assert.equal(field.active_flag, true);
      const [gold, silver, bronze] = field.options;
      const person = (await api.post('/api/v2/persons', { name: 'P', custom_fields: { [field.key]: [gold.id, bronze.id] } })).body.data;

      const updated = await api.put(`/v1/personFields/${field.id}`, {
        name: 'Level',
        options: [{ id: bronze.id, label: 'Bronze+' }, { label: 'Platinum' }, { id: gold.id, label: 'Gold' }],
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.data.name, 'Level');
      assert.equal(updated.body.data.key, field.key);
      const options = updated.body.data.options;
      assert.deepEqual(options.map((o: any) => o.label), ['Bronze+', 'Platinum', 'Gold'], 'listed order, silver gone');
      assert.equal(options[0].id, bronze.id);
      assert.ok(!options.some((o: any) => o.id === silver.id));
      const kept = (await api.get(`/api/v2/persons/${person.id}`)).body.data.custom_fields[field.key];
      assert.deepEqual(kept, [gold.id, bronze.id]);

      await api.put(`/v1/personFields/${field.id}`, { options: [{ id: bronze.id, label: 'Bronze+' }] });
      assert.deepEqual((await api.get(`/api/v2/persons/${person.id}`)).body.data.custom_fields, { [field.key]: [bronze.id] }, 'options left out are removed from persons');
      const foreignOption = await api.put(`/v1/personFields/${field.id}`, { options: [{ id: silver.id, label: 'Silver' }] });
      assert.equal(foreignOption.status, 400);
      assert.match(foreignOption.body.error, /options\[0\]\.id/);

      assert.equal((await api.put('/v1/personFields/999999', { name: 'X' })).status, 404);
      const deleted = await api.delete(`/v1/personFields/${field.id}`);
      assert.deepEqual(deleted.body, { success: true, data: { id: field.id } });
      assert.equal((await api.get(`/v1/personFields/${field.id}`)).status, 404);
      const again = await api.delete(`/v1/personFields/${field.id}`);
      assert.equal(again.status, 410);
      assert.equal(again.body.error, 'The field is not found');
      assert.deepEqual((await api.get(`/api/v2/persons/${person.id}`)).body.data.custom_fields, {});
    });

    it('bulk-deletes all or nothing and refuses system fields and bad types', async () => {
      const { api } = await newTenant(server);
      const a = (await api.post('/v1/personFields', { name: 'A', field_type: 'varchar' })).body.data;
      const b = (await api.post('/v1/personFields', { name: 'B', field_type: 'date' })).body.data;
      const name = (await api.get('/v1/personFields')).body.data.find((f: any) => f.key === 'name');
      const refused = await api.delete(`/v1/personFields?ids=${a.id},${name.id}`);
      assert.equal(refused.status, 400);
      assert.match(refused.body.error, /system field/);
      assert.equal((await api.get(`/v1/personFields/${a.id}`)).status, 200, 'nothing deleted when one id is refused');
      const done = await api.delete(`/v1/personFields?ids=${a.id},${b.id}`);
      assert.deepEqual(done.body, { success: true, data: { id: [a.id, b.id] } });
      assert.equal((await api.get(`/v1/personFields/${b.id}`)).status, 404);
      assert.equal((await api.delete('/v1/personFields?ids=x')).status, 400);

      const visibleTo = await api.post('/v1/personFields', { name: 'V', field_type: 'visible_to' });
      assert.equal(visibleTo.status, 400);
      const rename = await api.put(`/v1/personFields/${name.id}`, { name: 'Full name' });
      assert.equal(rename.status, 400);
      assert.match(rename.body.error, /^name: the system field "name" cannot be renamed/);
    });

    it('shows the same fields as v2', async () => {
      const { api } = await newTenant(server);
      await api.post('/v1/personFields', { name: 'Budget', field_type: 'monetary' });
      await api.post('/api/v2/personFields', { field_name: 'Kind', field_type: 'enum', options: [{ label: 'A' }], required_fields: { enabled: true } });
      const v1 = (await api.get('/v1/personFields')).body.data;
      const v2 = (await api.get('/api/v2/personFields?include_fields=ui_visibility,required_fields,important_fields')).body.data;
      assert.equal(v1.length, v2.length);
      for (const [i, one] of v1.entries()) {
        const two = v2[i];
        assert.equal(two.field_code, one.key === 'label' ? 'label_ids' : one.key);
        assert.equal(two.field_name, one.name);
        assert.equal(two.field_type, one.field_type);
        assert.equal(two.is_custom_field, one.edit_flag);
        assert.equal(two.required_fields.enabled, one.mandatory_flag);
        assert.equal(two.ui_visibility.add_visible_flag, one.add_visible_flag);
        assert.equal(two.ui_visibility.details_visible_flag, one.details_visible_flag);
        assert.equal(two.important_fields.enabled, one.important_flag);
        assert.deepEqual(two.options?.map((o: any) => [o.id, o.label]) ?? null, one.options?.map((o: any) => [o.id, o.label]) ?? null);
        if (one.edit_flag || one.key === 'label') {
          assert.deepEqual((await api.get(`/v1/personFields/${one.id}`)).body.data, one, 'one field reads as it lists (v1)');
          const single = (await api.get(`/api/v2/personFields/${two.field_code}?include_fields=ui_visibility,required_fields,important_fields`)).body.data;
          assert.deepEqual(single, two, 'one field reads as it lists (v2)');
        }
      }
      const budget = v1.find((f: any) => f.name === 'Budget');
      assert.deepEqual(budget.subfields.map((s: any) => s.key), [`${budget.key}_currency`]);
      assert.equal(budget.subfields[0].parent_id, budget.id);
      assert.deepEqual(v2.find((f: any) => f.field_name === 'Budget').subfields.map((s: any) => s.field_code), ['value', 'currency']);
    });

    it('converts stored values to v1 flat keys in one place (customFieldsToV1)', async () => {
      const { api, companyId } = await newTenant(server);
      const add = async (field_type: string, extra = {}) => (await api.post('/api/v2/personFields', { field_name: field_type, field_type, ...extra })).body.data.field_code;
      const k = {
        varchar: await add('varchar'),
        monetary: await add('monetary'),
        daterange: await add('daterange'),
        timerange: await add('timerange'),
        address: await add('address'),
        enum: await add('enum', { options: [{ label: 'A' }] }),
        set: await add('set', { options: [{ label: 'A' }, { label: 'B' }] }),
        unset: await add('double'),
      };
      const fields = (await api.get('/api/v2/personFields')).body.data;
      const opts = (code: string) => fields.find((f: any) => f.field_code === code).options.map((o: any) => o.id);
      const person = (
        await api.post('/api/v2/persons', {
          name: 'P',
          custom_fields: {
            [k.varchar]: 'v',
            [k.monetary]: { value: 10, currency: 'GBP' },
            [k.daterange]: { value: '2024-01-01', until: '2024-02-01' },
            [k.timerange]: { value: '08:00:00', until: '09:00:00', timezone_name: 'UTC' },
            [k.address]: { value: '1 Main St', locality: 'Springfield' },
            [k.enum]: opts(k.enum)[0],
            [k.set]: opts(k.set),
          },
        })
      ).body.data;
      const v1 = customFieldsToV1(await loadPersonFields(server.store.db, companyId), person.custom_fields);
      assert.equal(v1[k.varchar], 'v');
      assert.equal(v1[k.monetary], 10);
      assert.equal(v1[`${k.monetary}_currency`], 'GBP');
      assert.equal(v1[k.daterange], '2024-01-01');
      assert.equal(v1[`${k.daterange}_until`], '2024-02-01');
      assert.equal(v1[`${k.timerange}_until`], '09:00:00');
      assert.equal(v1[k.address], '1 Main St');
      assert.equal(v1[`${k.address}_locality`], 'Springfield');
      assert.equal(v1[`${k.address}_route`], null);
      assert.equal(v1[k.enum], String(opts(k.enum)[0]));
      assert.equal(v1[k.set], opts(k.set).join(','));
      assert.equal(v1[k.unset], null, 'every live custom field is present in v1');
      assert.ok(!('name' in v1), 'only custom fields');
    });
  });
}
