import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** One custom field of each type, made through v1 personFields; returns their keys and options. */
async function fieldsOfEveryType(api: Api) {
  const make = async (field_type: string, options?: { label: string }[]) => {
    const created = await api.post('/v1/personFields', { name: `F ${field_type}`, field_type, ...(options && { options }) });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return created.body.data as { key: string; options: { id: number }[] | null };
  };
  const types = ['varchar', 'varchar_auto', 'text', 'phone', 'double', 'monetary', 'date', 'daterange', 'time', 'timerange', 'address', 'user', 'org', 'people'];
  const fields: Record<string, { key: string; options: { id: number }[] | null }> = {};
  for (const type of types) fields[type] = await make(type);
  fields.enum = await make('enum', [{ label: 'Red' }, { label: 'Green' }]);
  fields.set = await make('set', [{ label: 'A' }, { label: 'B' }, { label: 'C' }]);
  const key = Object.fromEntries(Object.entries(fields).map(([type, f]) => [type, f.key])) as Record<string, string>;
  const option = (type: 'enum' | 'set', index: number) => (fields[type].options as { id: number }[])[index].id;
  return { key, option };
}

for (const backend of testBackends()) {
  describe(`v1 person custom fields, read back through v2 and the other way [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('writes every field type flat through v1, reads it nested through v2, and back', async () => {
      const { api, userId } = await newTenant(server);
      const { key, option } = await fieldsOfEveryType(api);
      const org = (await api.post('/api/v2/organizations', { name: 'Ref Org' })).body.data.id;
      const other = (await api.post('/api/v2/persons', { name: 'Ref Person' })).body.data.id;

      const created = await api.post('/v1/persons', {
        name: 'Custom Carrier',
        [key.varchar]: 'Hello',
        [key.varchar_auto]: 'Auto',
        [key.text]: 'Long text',
        [key.phone]: '+1 555 0100',
        [key.double]: '42.5',
        [key.monetary]: '1500',
        [`${key.monetary}_currency`]: 'EUR',
        [key.date]: '2024-03-01',
        [key.daterange]: '2024-03-01',
        [`${key.daterange}_until`]: '2024-03-31',
        [key.time]: '09:30',
        [key.timerange]: '09:00',
        [`${key.timerange}_until`]: '17:00',
        [key.address]: 'Rue 1, Paris',
        [`${key.address}_locality`]: 'Paris',
        [key.user]: String(userId),
        [key.org]: org,
        [key.people]: { value: other },
        [key.enum]: String(option('enum', 1)),
        [key.set]: `${option('set', 0)},${option('set', 2)}`,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.data.id;

      const v2 = (await api.get(`/api/v2/persons/${id}`)).body.data.custom_fields;
      assert.equal(v2[key.varchar], 'Hello');
      assert.equal(v2[key.varchar_auto], 'Auto');
      assert.equal(v2[key.text], 'Long text');
      assert.equal(v2[key.phone], '+1 555 0100');
      assert.equal(v2[key.double], 42.5);
      assert.deepEqual(v2[key.monetary], { value: 1500, currency: 'EUR' });
      assert.equal(v2[key.date], '2024-03-01');
      assert.deepEqual(v2[key.daterange], { value: '2024-03-01', until: '2024-03-31' });
      assert.equal(v2[key.time].value, '09:30:00');
      assert.deepEqual([v2[key.timerange].value, v2[key.timerange].until], ['09:00:00', '17:00:00']);
      assert.deepEqual([v2[key.address].value, v2[key.address].locality], ['Rue 1, Paris', 'Paris']);
      assert.deepEqual([v2[key.user], v2[key.org], v2[key.people]], [userId, org, other]);
      assert.equal(v2[key.enum], option('enum', 1));
      assert.deepEqual(v2[key.set], [option('set', 0), option('set', 2)]);

      const flat = (await api.get(`/v1/persons/${id}`)).body.data;
      assert.deepEqual(flat, created.body.data, 'the create answer is what a read shows');
      assert.deepEqual(
        [flat[key.double], flat[key.monetary], flat[`${key.monetary}_currency`], flat[key.daterange], flat[`${key.daterange}_until`], flat[key.time]],
        [42.5, 1500, 'EUR', '2024-03-01', '2024-03-31', '09:30:00'],
      );
      assert.deepEqual([flat[key.enum], flat[key.set], flat[key.address], flat[`${key.address}_locality`]], [String(option('enum', 1)), `${option('set', 0)},${option('set', 2)}`, 'Rue 1, Paris', 'Paris']);

      const patched = await api.patch(`/api/v2/persons/${id}`, {
        custom_fields: {
          [key.varchar]: 'Bye',
          [key.double]: 7,
          [key.monetary]: { value: 10, currency: 'USD' },
          [key.enum]: option('enum', 0),
          [key.set]: [option('set', 1)],
          [key.daterange]: { value: '2025-01-01', until: '2025-01-02' },
          [key.address]: { value: 'Main St 2, Berlin', locality: 'Berlin' },
          [key.people]: null,
        },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const after = (await api.get(`/api/v1/persons/${id}`)).body.data;
      assert.deepEqual(
        [after[key.varchar], after[key.double], after[key.monetary], after[`${key.monetary}_currency`], after[key.enum], after[key.set]],
        ['Bye', 7, 10, 'USD', String(option('enum', 0)), String(option('set', 1))],
      );
      assert.deepEqual([after[key.daterange], after[`${key.daterange}_until`], after[`${key.address}_locality`], after[key.people]], ['2025-01-01', '2025-01-02', 'Berlin', null]);

      const cleared = await api.put(`/v1/persons/${id}`, { [key.varchar]: '', [key.set]: null, [key.monetary]: null });
      assert.equal(cleared.status, 200);
      const v2After = (await api.get(`/api/v2/persons/${id}`)).body.data.custom_fields;
      assert.ok(!(key.varchar in v2After) && !(key.set in v2After) && !(key.monetary in v2After));
      assert.equal(v2After[key.text], 'Long text', 'fields not sent are kept');
    });

    it('refuses custom values v1 cannot mean, naming the key, and changes nothing', async () => {
      const { api } = await newTenant(server);
      const { key } = await fieldsOfEveryType(api);
      const id = (await api.post('/v1/persons', { name: 'Stable', [key.varchar]: 'Keep' })).body.data.id;
      const before = (await api.get(`/api/v2/persons/${id}`)).body.data;
      for (const body of [
        { [key.enum]: '999999' },
        { [key.double]: 'forty' },
        { [`${key.monetary}_currency`]: 'EUR' },
        { [key.monetary]: 5, [`${key.monetary}_currency`]: 'EURO' },
        { [key.daterange]: '2024-01-01' },
        { [key.date]: '2024-02-30' },
        { [`${key.varchar}_until`]: 'x' },
        { [key.set]: 'a,b' },
        { [key.org]: 999999 },
        { [key.varchar]: ['not', 'text'] },
      ]) {
        const response = await api.put(`/v1/persons/${id}`, body);
        assert.equal(response.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`);
        assert.equal(response.body.success, false);
        assert.match(response.body.error, new RegExp(Object.keys(body)[0].slice(0, 40)));
      }
      assert.deepEqual((await api.get(`/api/v2/persons/${id}`)).body.data, before);
    });
  });
}
