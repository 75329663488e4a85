import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const SYSTEM_CODES = [
  'name', 'first_name', 'last_name', 'email', 'phone', 'im', 'org_id', 'owner_id', 'label_ids', 'visible_to',
  'add_time', 'update_time', 'postal_address', 'notes', 'birthday', 'job_title', 'marketing_status', 'picture_id',
];

async function allFields(api: Api, query = ''): Promise<any[]> {
  const fields: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.get(`/api/v2/personFields?limit=5${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    fields.push(...res.body.data);
    cursor = res.body.additional_data.next_cursor;
  } while (cursor);
  return fields;
}

for (const backend of testBackends()) {
  describe(`v2 personFields [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('lets only admins add, change or delete fields and options (403 for others, who still read them); nothing changes', async () => {
      const tenant = await newTenant(server);
      const regular = await tenant.addUser();
      const field = (await tenant.api.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'enum', options: [{ label: 'Gold' }] })).body.data;
      const v1Field = (await tenant.api.get('/v1/personFields?limit=500')).body.data.find((f: any) => f.key === field.field_code);
      const option = field.options[0];
      const before = (await tenant.api.get(`/api/v2/personFields/${field.field_code}`)).body.data;
      const attempts: Array<[string, () => Promise<{ status: number; body: any }>]> = [
        ['v2 create', () => regular.api.post('/api/v2/personFields', { field_name: 'Sneaky', field_type: 'varchar' })],
        ['v2 patch', () => regular.api.patch(`/api/v2/personFields/${field.field_code}`, { field_name: 'Renamed' })],
        ['v2 delete', () => regular.api.delete(`/api/v2/personFields/${field.field_code}`)],
        ['v2 add options', () => regular.api.post(`/api/v2/personFields/${field.field_code}/options`, [{ label: 'Silver' }])],
        ['v2 relabel options', () => regular.api.patch(`/api/v2/personFields/${field.field_code}/options`, [{ id: option.id, label: 'Lead' }])],
        ['v2 delete options', () => regular.api.delete(`/api/v2/personFields/${field.field_code}/options`, [{ id: option.id }])],
        ['v1 create', () => regular.api.post('/v1/personFields', { name: 'Sneaky', field_type: 'varchar' })],
        ['v1 update', () => regular.api.put(`/v1/personFields/${v1Field.id}`, { name: 'Renamed' })],
        ['v1 delete', () => regular.api.delete(`/v1/personFields/${v1Field.id}`)],
        ['v1 bulk delete', () => regular.api.delete(`/v1/personFields?ids=${v1Field.id}`)],
      ];
      for (const [what, attempt] of attempts) {
        const res = await attempt();
        assert.equal(res.status, 403, `${what}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.success, false);
        assert.equal(res.body.error, 'Only admins can add, change or delete person fields', what);
      }
      const read = await regular.api.get(`/api/v2/personFields/${field.field_code}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.data, before, 'the field, its name and options are unchanged');
      assert.equal((await allFields(tenant.api)).filter((f) => f.field_name === 'Sneaky').length, 0);
    });

    it('lists the system fields with their codes and flags, paged by cursor', async () => {
      const { api } = await newTenant(server);
      const fields = await allFields(api);
      assert.deepEqual(fields.map((f) => f.field_code), SYSTEM_CODES);
      for (const field of fields) {
        assert.equal(field.is_custom_field, false);
        assert.equal(field.ui_visibility, undefined, 'namespaces only when asked for');
      }
      const byCode = Object.fromEntries(fields.map((f) => [f.field_code, f]));
      assert.equal(byCode.org_id.field_type, 'org');
      assert.equal(byCode.owner_id.field_type, 'user');
      assert.equal(byCode.label_ids.field_type, 'set');
      assert.equal(byCode.marketing_status.is_optional_response_field, true);
      assert.equal(byCode.name.is_optional_response_field, false);
      assert.deepEqual(byCode.label_ids.options.map((o: any) => o.label), ['Customer', 'Hot lead', 'Warm lead', 'Cold lead']);
      assert.deepEqual(Object.keys(byCode.label_ids.options[0]).sort(), ['add_time', 'color', 'id', 'label', 'update_time']);
      assert.ok(byCode.postal_address.subfields.some((s: any) => s.field_code === 'locality'));
      assert.equal(byCode.name.options, null);

      const withNamespaces = await api.get('/api/v2/personFields/name?include_fields=ui_visibility,required_fields');
      assert.deepEqual(withNamespaces.body.data.required_fields, { enabled: true });
      assert.equal(withNamespaces.body.data.ui_visibility.add_visible_flag, true);
      assert.equal(withNamespaces.body.data.important_fields, undefined);
      const bad = await api.get('/api/v2/personFields?include_fields=colors');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /include_fields/);
    });

    it('creates, reads, renames and deletes a custom field; the key never changes', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/api/v2/personFields', {
        field_name: 'Lead source',
        field_type: 'enum',
        options: [{ label: 'Inbound' }, { label: 'Outbound' }],
        required_fields: { enabled: false },
        important_fields: { enabled: true, stage_ids: [3] },
        ui_visibility: { add_visible_flag: true, show_in_add_deal_dialog: { show: true } },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const field = created.body.data;
      assert.match(field.field_code, /^[0-9a-f]{40}$/);
      assert.equal(field.field_type, 'enum');
      assert.equal(field.is_custom_field, true);
      assert.deepEqual(field.options.map((o: any) => o.label), ['Inbound', 'Outbound']);
      assert.deepEqual(field.important_fields, { enabled: true, stage_ids: [3] });
      assert.deepEqual(field.ui_visibility, { add_visible_flag: true, details_visible_flag: true, show_in_add_deal_dialog: { show: true, order: 1 } });

      const renamed = await api.patch(`/api/v2/personFields/${field.field_code}`, { field_name: 'Source', important_fields: { enabled: false } });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.data.field_code, field.field_code);
      assert.equal(renamed.body.data.field_name, 'Source');
      assert.deepEqual(renamed.body.data.important_fields, { enabled: false, stage_ids: [] });
      assert.deepEqual(renamed.body.data.options, field.options, 'renaming keeps the options');

      const read = await api.get(`/api/v2/personFields/${field.field_code}`);
      assert.equal(read.body.data.field_name, 'Source');
      assert.equal((await allFields(api)).at(-1).field_code, field.field_code);

      const deleted = await api.delete(`/api/v2/personFields/${field.field_code}`);
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body.data.field_code, field.field_code);
      assert.equal((await api.get(`/api/v2/personFields/${field.field_code}`)).status, 404);
      assert.equal((await api.delete(`/api/v2/personFields/${field.field_code}`)).status, 410);
      assert.ok(!(await allFields(api)).some((f) => f.field_code === field.field_code));
    });

    it('refuses bad field definitions with a 400 naming the problem', async () => {
      const { api } = await newTenant(server);
      const cases: [unknown, RegExp][] = [
        [{ field_type: 'varchar' }, /field_name is required/],
        [{ field_name: 'X', field_type: 'colour' }, /field_type must be one of/],
        [{ field_name: 'X', field_type: 'visible_to' }, /field_type must be one of/],
        [{ field_name: '', field_type: 'varchar' }, /field_name/],
        [{ field_name: '   ', field_type: 'varchar' }, /field_name must not be empty/],
        [{ field_name: 'X', field_type: 'enum' }, /options must list at least one option/],
        [{ field_name: 'X', field_type: 'set', options: [] }, /options must list at least one option/],
        [{ field_name: 'X', field_type: 'set', options: [{ label: '  ' }] }, /options\[0\]\.label must not be empty/],
        [{ field_name: 'X', field_type: 'varchar', options: [{ label: 'A' }] }, /options are only for enum and set/],
        [{ field_name: 'X', field_type: 'varchar', colour: 'red' }, /unknown body property "colour"/],
      ];
      for (const [body, message] of cases) {
        const res = await api.post('/api/v2/personFields', body);
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
        assert.match(res.body.error, message, JSON.stringify(body));
      }
      const field = (await api.post('/api/v2/personFields', { field_name: 'Size', field_type: 'double' })).body.data;
      const patchCases: [string, unknown, RegExp, number][] = [
        [field.field_code, { field_type: 'varchar' }, /field_type cannot be changed/, 400],
        [field.field_code, {}, /must NOT have fewer than 1 properties/, 400],
        ['name', { field_name: 'Full name' }, /cannot be renamed/, 400],
        ['name', { ui_visibility: { add_visible_flag: false } }, /add_visible_flag cannot be false/, 400],
        ['email', { required_fields: { enabled: true } }, /cannot be changed/, 400],
        ['0000000000000000000000000000000000000000', { field_name: 'X' }, /Field not found/, 404],
      ];
      for (const [code, body, message, status] of patchCases) {
        const res = await api.patch(`/api/v2/personFields/${code}`, body);
        assert.equal(res.status, status, `${code} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
        assert.match(res.body.error, message);
      }
      const system = await api.delete('/api/v2/personFields/email');
      assert.equal(system.status, 400);
      assert.match(system.body.error, /system field/);
      const hidden = await api.patch('/api/v2/personFields/email', { ui_visibility: { add_visible_flag: false } });
      assert.equal(hidden.status, 200);
      assert.equal(hidden.body.data.ui_visibility.add_visible_flag, false);
    });

    it('adds, renames and deletes options atomically', async () => {
      const { api } = await newTenant(server);
      const field = (await api.post('/api/v2/personFields', { field_name: 'Tags', field_type: 'set', options: [{ label: 'A' }] })).body.data;
      const path = `/api/v2/personFields/${field.field_code}/options`;
      const added = await api.post(path, [{ label: 'B' }, { label: 'C' }]);
      assert.equal(added.status, 200);
      assert.deepEqual(added.body.data.map((o: any) => o.label), ['B', 'C']);
      assert.equal(added.body.additional_data, null);
      const [b, c] = added.body.data;

      const renamed = await api.patch(path, [{ id: b.id, label: 'Bee' }]);
      assert.deepEqual(renamed.body.data, [{ id: b.id, label: 'Bee' }]);

      const partlyUnknown = await api.patch(path, [{ id: c.id, label: 'Sea' }, { id: 999999, label: 'X' }]);
      assert.equal(partlyUnknown.status, 400);
      assert.match(partlyUnknown.body.error, /999999 is not an option/);
      const unknownDelete = await api.delete(path, [{ id: c.id }, { id: 999999 }]);
      assert.equal(unknownDelete.status, 400);
      const options = (await api.get(`/api/v2/personFields/${field.field_code}`)).body.data.options;
      assert.deepEqual(options.map((o: any) => o.label), ['A', 'Bee', 'C'], 'failed bulk changes changed nothing');

      const deleted = await api.delete(path, [{ id: c.id }]);
      assert.deepEqual(deleted.body.data, [{ id: c.id, label: 'C' }]);
      assert.equal((await api.post(path, [])).status, 400);
      const noOptions = await api.post('/api/v2/personFields/email/options', [{ label: 'X' }]);
      assert.equal(noOptions.status, 400);
      assert.match(noOptions.body.error, /has no options/);
    });

    it('seeds a new company\'s system fields and labels once, even under concurrent first requests', async () => {
      const { api } = await newTenant(server);
      const firsts = await Promise.all([
        ...Array.from({ length: 4 }, () => api.get('/api/v2/personFields?limit=500')),
        ...Array.from({ length: 4 }, (_, i) => api.post('/api/v2/persons', { name: `P${i}` })),
        ...Array.from({ length: 2 }, () => api.get('/v1/personFields')),
      ]);
      for (const res of firsts) assert.equal(res.status, 200, JSON.stringify(res.body));
      const fields = await allFields(api);
      assert.deepEqual(fields.map((f) => f.field_code), SYSTEM_CODES);
      const labels = fields.find((f) => f.field_code === 'label_ids').options;
      assert.equal(labels.length, 4, 'the default labels exist once');
    });

    it('keeps one company\'s fields away from another', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      const field = (await a.api.post('/api/v2/personFields', { field_name: 'Secret', field_type: 'varchar' })).body.data;
      assert.equal((await b.api.get(`/api/v2/personFields/${field.field_code}`)).status, 404);
      assert.equal((await b.api.delete(`/api/v2/personFields/${field.field_code}`)).status, 404);
      assert.equal((await b.api.patch(`/api/v2/personFields/${field.field_code}`, { field_name: 'Mine' })).status, 404);
      assert.ok(!(await allFields(b.api)).some((f) => f.field_code === field.field_code));
      const aLabels = (await a.api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: any) => o.id);
      const bLabels = (await b.api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: any) => o.id);
      assert.equal(aLabels.filter((id: number) => bLabels.includes(id)).length, 0, 'each company has its own labels');
      const foreign = await b.api.post('/api/v2/persons', { name: 'X', label_ids: [aLabels[0]] });
      assert.equal(foreign.status, 400);
    });
  });
}
