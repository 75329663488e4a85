import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordCustomFieldsV1 } from '../../src/domain/person-fields/record-custom-fields-v1.ts';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** Organization and deal fields: the person fields engine with an entity, over v1 and v2, and their values. */
const ENTITIES = [
  {
    entity: 'organization',
    path: 'organizationFields',
    records: 'organizations',
    create: { name: 'Acme' },
    systemCodes: ['name', 'owner_id', 'label_ids', 'visible_to', 'address', 'add_time', 'update_time', 'picture_id'],
    v1Keys: ['name', 'owner_id', 'label', 'visible_to', 'address', 'add_time', 'update_time', 'picture_id'],
    labels: ['Customer', 'Hot lead', 'Warm lead', 'Cold lead'],
  },
  {
    entity: 'deal',
    path: 'dealFields',
    records: 'deals',
    create: { title: 'Big sale' },
    systemCodes: [
      'title', 'value', 'currency', 'owner_id', 'person_id', 'org_id', 'status', 'pipeline_id', 'stage_id', 'probability', 'lost_reason', 'visible_to',
      'label_ids', 'expected_close_date', 'add_time', 'update_time', 'won_time', 'lost_time', 'close_time',
    ],
    v1Keys: [
      'title', 'value', 'currency', 'user_id', 'person_id', 'org_id', 'status', 'pipeline_id', 'stage_id', 'probability', 'lost_reason', 'visible_to',
      'label', 'expected_close_date', 'add_time', 'update_time', 'won_time', 'lost_time', 'close_time',
    ],
    labels: ['Hot', 'Warm', 'Cold'],
  },
] as const;

async function addField(api: Api, path: string, field_type: string, extra: Record<string, unknown> = {}) {
  const res = await api.post(`/api/v2/${path}`, { field_name: `My ${field_type}`, field_type, ...extra });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

for (const backend of testBackends()) {
  describe(`organization and deal fields [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('lists each entity its own system fields and labels (v1 and v2), apart from persons and from each other', async () => {
      const { api } = await newTenant(server);
      for (const e of ENTITIES) {
        const v2 = await api.get(`/api/v2/${e.path}?limit=500`);
        assert.equal(v2.status, 200, JSON.stringify(v2.body));
        assert.deepEqual(v2.body.data.map((f: any) => f.field_code), e.systemCodes, e.entity);
        const labels = v2.body.data.find((f: any) => f.field_code === 'label_ids');
        assert.deepEqual(labels.options.map((o: any) => o.label), e.labels);
        const v1 = await api.get(`/v1/${e.path}`);
        assert.equal(v1.status, 200);
        assert.deepEqual(v1.body.data.map((f: any) => f.key), e.v1Keys);
        assert.ok(v1.body.data.every((f: any) => f.edit_flag === false && f.active_flag === true));
        const one = await api.get(`/v1/${e.path}/${v1.body.data[0].id}`);
        assert.equal(one.body.data.key, e.v1Keys[0]);
        const paged = await api.get(`/v1/${e.path}?start=2&limit=2`);
        assert.deepEqual(paged.body.additional_data.pagination, { start: 2, limit: 2, more_items_in_collection: true, next_start: 4 });
      }
      const orgField = await addField(api, 'organizationFields', 'varchar');
      const personCodes = (await api.get('/api/v2/personFields?limit=500')).body.data.map((f: any) => f.field_code);
      const dealCodes = (await api.get('/api/v2/dealFields?limit=500')).body.data.map((f: any) => f.field_code);
      assert.ok(!personCodes.includes(orgField.field_code) && !dealCodes.includes(orgField.field_code));
      assert.equal((await api.get(`/api/v2/personFields/${orgField.field_code}`)).status, 404);
      assert.equal((await api.get(`/api/v2/dealFields/${orgField.field_code}`)).status, 404);
      const onPerson = await api.post('/api/v2/persons', { name: 'X', custom_fields: { [orgField.field_code]: 'x' } });
      assert.equal(onPerson.status, 400);
      assert.match(onPerson.body.error, /not a custom field of persons/);
      const onDeal = await api.post('/api/v2/deals', { title: 'X', custom_fields: { [orgField.field_code]: 'x' } });
      assert.equal(onDeal.status, 400);
      assert.match(onDeal.body.error, /not a custom field of deals/);
    });

    it('round-trips every type on organizations and deals, with the option and label views, and refuses bad values', async () => {
      const { api, userId, companyId } = await newTenant(server);
      const other = await newTenant(server);
      const foreignOrg = (await other.api.post('/api/v2/organizations', { name: 'Theirs' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Referrer' })).body.data;
      const linked = (await api.post('/api/v2/organizations', { name: 'Linked' })).body.data;
      for (const e of ENTITIES) {
        const f: Record<string, any> = {};
        for (const type of ['varchar', 'text', 'double', 'monetary', 'date', 'daterange', 'time', 'timerange', 'phone', 'address', 'user', 'org', 'people', 'varchar_auto']) {
          f[type] = await addField(api, e.path, type);
        }
        f.enum = await addField(api, e.path, 'enum', { options: [{ label: 'Small' }, { label: 'Large' }] });
        f.set = await addField(api, e.path, 'set', { options: [{ label: 'Red' }, { label: 'Green' }] });
        const hostile = `<script>alert(1)</script>'; drop table ${e.records}; --`;
        const values = {
          [f.varchar.field_code]: hostile,
          [f.text.field_code]: 'long '.repeat(50),
          [f.double.field_code]: 12.5,
          [f.monetary.field_code]: { value: 500, currency: 'EUR' },
          [f.date.field_code]: '2024-02-29',
          [f.daterange.field_code]: { value: '2024-01-01', until: '2024-01-31' },
          [f.time.field_code]: { value: '09:30:00', timezone_name: 'Europe/London' },
          [f.timerange.field_code]: { value: '09:00:00', until: '17:00:00', timezone_name: 'UTC' },
          [f.phone.field_code]: '+1 415 555 0100',
          [f.address.field_code]: { value: '1 Main St' },
          [f.user.field_code]: userId,
          [f.org.field_code]: linked.id,
          [f.people.field_code]: person.id,
          [f.enum.field_code]: f.enum.options[1].id,
          [f.set.field_code]: [f.set.options[0].id, f.set.options[1].id],
        };
        const created = await api.post(`/api/v2/${e.records}`, { ...e.create, custom_fields: values });
        assert.equal(created.status, 200, JSON.stringify(created.body));
        const cf = created.body.data.custom_fields;
        assert.equal(cf[f.varchar.field_code], hostile, 'stored and answered as sent, as JSON');
        assert.deepEqual(cf[f.monetary.field_code], { value: 500, currency: 'EUR' });
        assert.deepEqual(cf[f.time.field_code], { value: '09:30:00', timezone_id: null, timezone_name: 'Europe/London' });
        assert.equal(cf[f.address.field_code].value, '1 Main St');
        assert.deepEqual(cf[f.set.field_code], [f.set.options[0].id, f.set.options[1].id]);
        const id = created.body.data.id;
        assert.deepEqual((await api.get(`/api/v2/${e.records}/${id}`)).body.data.custom_fields, cf);

        // The v1 form, for the v1 organization and deal routes: flat keys with parts, and back.
        const v1 = await recordCustomFieldsV1(server.store.db, companyId, e.entity);
        const flat = v1.toV1({ custom_fields: JSON.stringify(cf) });
        assert.equal(flat[f.varchar.field_code], hostile);
        assert.deepEqual([flat[f.monetary.field_code], flat[`${f.monetary.field_code}_currency`]], [500, 'EUR']);
        assert.equal(flat[f.set.field_code], `${f.set.options[0].id},${f.set.options[1].id}`);
        assert.equal(flat[f.enum.field_code], String(f.enum.options[1].id));
        const back = v1.fromV1({ name: 'x', [f.monetary.field_code]: '7', [`${f.monetary.field_code}_currency`]: 'USD', [f.set.field_code]: String(f.set.options[0].id) });
        assert.deepEqual(back.customFields, { [f.monetary.field_code]: { value: 7, currency: 'USD' }, [f.set.field_code]: [f.set.options[0].id] });
        assert.throws(() => v1.fromV1({ ['a'.repeat(40)]: 'x' }), new RegExp(`not a custom field of ${e.records}`));

        const patched = await api.patch(`/api/v2/${e.records}/${id}`, { custom_fields: { [f.double.field_code]: null, [f.enum.field_code]: f.enum.options[0].id } });
        assert.equal(patched.status, 200, JSON.stringify(patched.body));
        assert.equal(patched.body.data.custom_fields[f.double.field_code], undefined, 'null clears');
        assert.equal(patched.body.data.custom_fields[f.varchar.field_code], hostile, 'unsent values stay');

        const view = await api.get(`/api/v2/${e.records}/${id}?custom_fields=${f.enum.field_code},${f.set.field_code}&include_option_labels=true&include_labels=true`);
        assert.equal(view.status, 200, JSON.stringify(view.body));
        assert.deepEqual(view.body.data.custom_fields, {
          [f.enum.field_code]: { id: f.enum.options[0].id, label: 'Small' },
          [f.set.field_code]: [{ id: f.set.options[0].id, label: 'Red' }, { id: f.set.options[1].id, label: 'Green' }],
        });
        assert.deepEqual(view.body.data.labels, []);
        const listed = await api.get(`/api/v2/${e.records}?custom_fields=${f.varchar.field_code}`);
        assert.deepEqual(listed.body.data.find((r: any) => r.id === id).custom_fields, { [f.varchar.field_code]: hostile });

        const bad: [string, unknown, RegExp][] = [
          ['varchar', 42, /must be a string/],
          ['double', '12', /must be a number/],
          ['monetary', { value: 5, currency: 'XYZ' }, /ISO 4217/],
          ['date', '2023-02-29', /real date/],
          ['enum', 987654321, /has no option/],
          ['set', [], /must not be an empty array/],
          ['user', other.userId, /which does not exist/],
          ['org', foreignOrg.id, /which does not exist/],
          ['people', 987654321, /which does not exist/],
        ];
        for (const [type, value, message] of bad) {
          for (const res of [
            await api.post(`/api/v2/${e.records}`, { ...e.create, custom_fields: { [f[type].field_code]: value } }),
            await api.patch(`/api/v2/${e.records}/${id}`, { custom_fields: { [f.text.field_code]: 'changed', [f[type].field_code]: value } }),
          ]) {
            assert.equal(res.status, 400, `${e.entity} ${type} ${JSON.stringify(value)}: ${JSON.stringify(res.body)}`);
            assert.match(res.body.error, message);
            assert.ok(res.body.error.includes(`custom_fields.${f[type].field_code}`));
          }
        }
        for (const key of ['f'.repeat(40), 'name', '__proto__x']) {
          const res = await api.patch(`/api/v2/${e.records}/${id}`, { custom_fields: { [key]: 'x' } });
          assert.equal(res.status, 400, key);
          assert.match(res.body.error, new RegExp(`not a custom field of ${e.records}`));
        }
        const foreign = await other.api.patch(`/api/v2/${e.records}/${id}`, { custom_fields: { [f.varchar.field_code]: 'theirs' } });
        assert.equal(foreign.status, 404, 'another company cannot reach the record');
        const unchanged = (await api.get(`/api/v2/${e.records}/${id}`)).body.data.custom_fields;
        assert.equal(unchanged[f.text.field_code], 'long '.repeat(50), 'no refused write changed anything');

        // Deleting an option, then the field, removes the values; the field then answers 410, its key is ignored.
        const delOpt = await api.delete(`/api/v2/${e.path}/${f.set.field_code}/options`, [{ id: f.set.options[0].id }]);
        assert.equal(delOpt.status, 200, JSON.stringify(delOpt.body));
        assert.deepEqual((await api.get(`/api/v2/${e.records}/${id}`)).body.data.custom_fields[f.set.field_code], [f.set.options[1].id]);
        assert.equal((await api.delete(`/api/v2/${e.path}/${f.varchar.field_code}`)).status, 200);
        assert.equal((await api.get(`/api/v2/${e.records}/${id}`)).body.data.custom_fields[f.varchar.field_code], undefined);
        assert.equal((await api.delete(`/api/v2/${e.path}/${f.varchar.field_code}`)).status, 410);
        const ignored = await api.patch(`/api/v2/${e.records}/${id}`, { custom_fields: { [f.varchar.field_code]: 'late' } });
        assert.equal(ignored.status, 200);
        assert.equal(ignored.body.data.custom_fields[f.varchar.field_code], undefined);
      }
    });

    it('manages fields over v1 (add, update options, delete, bulk delete), admins only, within the company', async () => {
      const { api, addUser } = await newTenant(server);
      const regular = await addUser();
      const other = await newTenant(server);
      for (const e of ENTITIES) {
        const added = await api.post(`/v1/${e.path}`, { name: 'Tier', field_type: 'enum', options: [{ label: 'Gold' }, { label: 'Silver' }] });
        assert.equal(added.status, 200, JSON.stringify(added.body));
        assert.match(added.body.data.key, /^[0-9a-f]{40}$/);
        const [gold] = added.body.data.options;
        const record = (await api.post(`/api/v2/${e.records}`, { ...e.create, custom_fields: { [added.body.data.key]: gold.id } })).body.data;
        const updated = await api.put(`/v1/${e.path}/${added.body.data.id}`, { name: 'Level', options: [{ label: 'Bronze' }] });
        assert.equal(updated.status, 200, JSON.stringify(updated.body));
        assert.deepEqual([updated.body.data.name, updated.body.data.options.map((o: any) => o.label)], ['Level', ['Bronze']]);
        assert.equal((await api.get(`/api/v2/${e.records}/${record.id}`)).body.data.custom_fields[added.body.data.key], undefined, 'the dropped option left the record');

        const refused = await regular.api.post(`/v1/${e.path}`, { name: 'Sneaky', field_type: 'varchar' });
        assert.equal(refused.status, 403);
        assert.equal(refused.body.error, `Only admins can add, change or delete ${e.entity} fields`);
        assert.equal((await regular.api.get(`/v1/${e.path}/${added.body.data.id}`)).status, 200, 'non-admins read');
        assert.equal((await other.api.get(`/v1/${e.path}/${added.body.data.id}`)).status, 404, "another company's field is not found");
        assert.equal((await other.api.delete(`/v1/${e.path}/${added.body.data.id}`)).status, 404);
        assert.equal((await api.post(`/v1/${e.path}`, { name: 'X', field_type: 'picture' })).status, 400);
        assert.equal((await api.post(`/v1/${e.path}`, { name: 'X', field_type: 'enum' })).status, 400, 'options are required');
        const system = (await api.get(`/v1/${e.path}`)).body.data[0];
        assert.equal((await api.delete(`/v1/${e.path}/${system.id}`)).status, 400, 'system fields stay');

        const hostileName = `<img src=x onerror=alert(1)>'; delete from ${e.records}; --`;
        const named = await api.post(`/api/v2/${e.path}`, { field_name: hostileName, field_type: 'varchar' });
        assert.equal(named.body.data.field_name, hostileName, 'a name is data, answered as JSON as given');
        for (const code of ["x'; drop table person_fields; --", '%00', 'a'.repeat(100), '__proto__']) {
          assert.equal((await api.get(`/api/v2/${e.path}/${encodeURIComponent(code)}`)).status, 404, code);
        }
        assert.equal((await api.get(`/v1/${e.path}/abc`)).status, 400);
        const second = (await api.post(`/v1/${e.path}`, { name: 'Second', field_type: 'varchar' })).body.data;
        const bulk = await api.delete(`/v1/${e.path}?ids=${added.body.data.id},${second.id}`);
        assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
        assert.deepEqual(bulk.body.data.id, [added.body.data.id, second.id]);
        assert.equal((await api.get(`/v1/${e.path}/${second.id}`)).status, 404);
        assert.equal((await api.delete(`/v1/${e.path}/${second.id}`)).status, 410);
      }
    });
  });
}
