import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

interface Field {
  field_code: string;
  options: { id: number; label: string }[] | null;
}

async function addField(api: Api, field_type: string, extra: Record<string, unknown> = {}): Promise<Field> {
  const res = await api.post('/api/v2/personFields', { field_name: `My ${field_type}`, field_type, ...extra });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

/** One field of every custom type, for a fresh tenant. */
async function everyTypeFields(api: Api) {
  const types = ['varchar', 'varchar_auto', 'text', 'double', 'monetary', 'date', 'daterange', 'time', 'timerange', 'phone', 'address', 'user', 'org', 'people'];
  const fields: Record<string, Field> = {};
  for (const type of types) fields[type] = await addField(api, type);
  fields.enum = await addField(api, 'enum', { options: [{ label: 'Small' }, { label: 'Large' }] });
  fields.set = await addField(api, 'set', { options: [{ label: 'Red' }, { label: 'Green' }, { label: 'Blue' }] });
  return fields;
}

const ADDRESS_NULLS = {
  country: null, admin_area_level_1: null, admin_area_level_2: null, locality: null, sublocality: null, route: null,
  street_number: null, subpremise: null, postal_code: null, formatted_address: null,
};

for (const backend of testBackends()) {
  describe(`v2 persons with custom fields [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('round-trips a value of every type through create, get and update', async () => {
      const { api, userId } = await newTenant(server);
      const f = await everyTypeFields(api);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const other = (await api.post('/api/v2/persons', { name: 'Referrer' })).body.data;
      const [small, large] = f.enum.options!;
      const [red, green, blue] = f.set.options!;
      const values = {
        [f.varchar.field_code]: 'short text',
        [f.varchar_auto.field_code]: 'auto',
        [f.text.field_code]: 'long '.repeat(200),
        [f.double.field_code]: 12.75,
        [f.monetary.field_code]: { value: 500, currency: 'EUR' },
        [f.date.field_code]: '2024-02-29',
        [f.daterange.field_code]: { value: '2024-01-01', until: '2024-01-31' },
        [f.time.field_code]: { value: '09:30:00', timezone_name: 'Europe/London', timezone_id: 318 },
        [f.timerange.field_code]: { value: '09:00', until: '17:00:00', timezone_name: 'America/New_York' },
        [f.phone.field_code]: '+1 415 555 0100',
        [f.address.field_code]: { value: '1 Main St, Springfield', locality: 'Springfield', country: 'US' },
        [f.user.field_code]: userId,
        [f.org.field_code]: org.id,
        [f.people.field_code]: other.id,
        [f.enum.field_code]: small.id,
        [f.set.field_code]: [red.id, blue.id, red.id],
      };
      const expected = {
        ...values,
        [f.time.field_code]: { value: '09:30:00', timezone_id: 318, timezone_name: 'Europe/London' },
        [f.timerange.field_code]: { value: '09:00:00', until: '17:00:00', timezone_id: null, timezone_name: 'America/New_York' },
        [f.address.field_code]: { ...ADDRESS_NULLS, value: '1 Main St, Springfield', locality: 'Springfield', country: 'US' },
        [f.set.field_code]: [red.id, blue.id],
      };
      const created = await api.post('/api/v2/persons', { name: 'Jane', custom_fields: values });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.deepEqual(created.body.data.custom_fields, expected);
      const id = created.body.data.id;
      assert.deepEqual((await api.get(`/api/v2/persons/${id}`)).body.data.custom_fields, expected);

      const changes = {
        [f.varchar.field_code]: 'changed',
        [f.double.field_code]: -3,
        [f.monetary.field_code]: { value: 0.5 },
        [f.enum.field_code]: large.id,
        [f.set.field_code]: [green.id],
        [f.date.field_code]: null,
        [f.address.field_code]: { value: 'Elsewhere' },
      };
      const updated = await api.patch(`/api/v2/persons/${id}`, { custom_fields: changes });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      const after = { ...expected, ...changes, [f.monetary.field_code]: { value: 0.5, currency: 'USD' }, [f.address.field_code]: { ...ADDRESS_NULLS, value: 'Elsewhere' } };
      delete after[f.date.field_code];
      assert.deepEqual(updated.body.data.custom_fields, after, 'null clears; unsent fields keep their values; currency defaults to the user\'s');
      assert.deepEqual((await api.get(`/api/v2/persons/${id}`)).body.data.custom_fields, after);
      const listed = (await api.get(`/api/v2/persons?ids=${id}`)).body.data[0];
      assert.deepEqual(listed.custom_fields, after);
      assert.equal(updated.body.data.name, 'Jane', 'a custom-field-only PATCH leaves the rest alone');
    });

    it('refuses each kind of bad value with a 400 naming the field, and changes nothing', async () => {
      const { api } = await newTenant(server);
      const f = await everyTypeFields(api);
      const other = await newTenant(server);
      const foreignOrg = (await other.api.post('/api/v2/organizations', { name: 'Theirs' })).body.data;
      const foreignPerson = (await other.api.post('/api/v2/persons', { name: 'Theirs' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Kept', custom_fields: { [f.varchar.field_code]: 'before' } })).body.data;
      const cases: [string, unknown, RegExp][] = [
        ['varchar', 42, /must be a string/],
        ['varchar', 'x'.repeat(256), /longer than 255 characters/],
        ['text', 'x'.repeat(65_536), /longer than 65535 characters/],
        ['double', '12', /must be a number/],
        ['monetary', 500, /must be an object/],
        ['monetary', { value: '500', currency: 'USD' }, /\.value .*must be a number/],
        ['monetary', { value: 5, currency: 'XYZ' }, /\.currency .*ISO 4217/],
        ['monetary', { value: 5, currency: 'usd' }, /\.currency .*ISO 4217/],
        ['monetary', { value: 5, amount: 1 }, /unknown property "amount"/],
        ['date', '2023-02-29', /real date/],
        ['date', '2024-1-5', /real date/],
        ['daterange', { value: '2024-02-01', until: '2024-01-01' }, /\.until .*must not be before/],
        ['daterange', { value: '2024-02-01' }, /\.until .*real date/],
        ['time', '09:00:00', /must be an object/],
        ['time', { value: '25:00:00' }, /\.value .*time of day/],
        ['time', { value: '09:00:00', timezone_name: 'Mars/Olympus' }, /timezone_name .*IANA/],
        ['timerange', { value: '17:00:00', until: '09:00:00' }, /\.until .*must not be before/],
        ['enum', 'Small', /must be the id/],
        ['enum', 987654321, /has no option with id 987654321/],
        ['set', [], /must not be an empty array; send null/],
        ['set', 5, /must be an array/],
        ['set', [987654321], /has no option with id 987654321/],
        ['set', ['1'], /\[0\] .*must be an option id/],
        ['address', 'Main St', /must be an object/],
        ['address', { locality: 'Springfield' }, /\.value .*is required/],
        ['address', { value: 'x', planet: 'Earth' }, /unknown property "planet"/],
        ['user', 987654321, /user 987654321, which does not exist/],
        ['user', other.userId, new RegExp(`user ${other.userId}, which does not exist`)],
        ['org', foreignOrg.id, new RegExp(`organization ${foreignOrg.id}, which does not exist`)],
        ['people', foreignPerson.id, new RegExp(`person ${foreignPerson.id}, which does not exist`)],
        ['people', 'x', /must be the id/],
      ];
      for (const [type, value, message] of cases) {
        const key = f[type].field_code;
        for (const res of [
          await api.post('/api/v2/persons', { name: 'New', custom_fields: { [key]: value } }),
          await api.patch(`/api/v2/persons/${person.id}`, { name: 'Changed', custom_fields: { [f.varchar.field_code]: 'after', [key]: value } }),
        ]) {
          assert.equal(res.status, 400, `${type} ${JSON.stringify(value)} → ${res.status} ${JSON.stringify(res.body)}`);
          assert.ok(res.body.error.includes(`custom_fields.${key}`), `${res.body.error} names the field`);
          assert.match(res.body.error, message, `${type} ${JSON.stringify(value)}`);
        }
      }
      const unknown = await api.post('/api/v2/persons', { name: 'X', custom_fields: { ['f'.repeat(40)]: 'x' } });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error, /custom_fields\.f{40} is not a custom field/);
      const system = await api.post('/api/v2/persons', { name: 'X', custom_fields: { name: 'x' } });
      assert.equal(system.status, 400);
      assert.match(system.body.error, /custom_fields\.name is not a custom field/);

      const read = (await api.get(`/api/v2/persons/${person.id}`)).body.data;
      assert.equal(read.name, 'Kept');
      assert.deepEqual(read.custom_fields, { [f.varchar.field_code]: 'before' }, 'no refused write changed anything');
      const list = (await api.get('/api/v2/persons')).body.data;
      assert.deepEqual(list.map((p: any) => p.name), ['Kept'], 'no refused create left a person behind');
    });

    it('enforces mandatory fields on create and on update', async () => {
      const { api } = await newTenant(server);
      const optional = await addField(api, 'varchar');
      const person = (await api.post('/api/v2/persons', { name: 'Before' })).body.data;
      const required = await addField(api, 'varchar', { field_name: 'Region', required_fields: { enabled: true } });
      const missing = await api.post('/api/v2/persons', { name: 'No region' });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error, new RegExp(`custom_fields\\.${required.field_code} \\("Region"\\) is required`));
      const ok = await api.post('/api/v2/persons', { name: 'With region', custom_fields: { [required.field_code]: 'EMEA' } });
      assert.equal(ok.status, 200);
      const cleared = await api.patch(`/api/v2/persons/${ok.body.data.id}`, { custom_fields: { [required.field_code]: null } });
      assert.equal(cleared.status, 400);
      assert.match(cleared.body.error, /is required and cannot be cleared/);
      const blank = await api.patch(`/api/v2/persons/${ok.body.data.id}`, { custom_fields: { [required.field_code]: '  ' } });
      assert.equal(blank.status, 400, 'a blank text is no value');
      // Persons created before the field became mandatory can still be edited in other ways.
      const older = await api.patch(`/api/v2/persons/${person.id}`, { custom_fields: { [optional.field_code]: 'x' } });
      assert.equal(older.status, 200);
      const relaxed = await api.patch(`/api/v2/personFields/${required.field_code}`, { required_fields: { enabled: false } });
      assert.equal(relaxed.status, 200);
      assert.equal((await api.post('/api/v2/persons', { name: 'No region again' })).status, 200);
    });

    it('filters with custom_fields= and expands options and labels on request', async () => {
      const { api } = await newTenant(server);
      const size = await addField(api, 'enum', { options: [{ label: 'S' }, { label: 'L' }] });
      const colours = await addField(api, 'set', { options: [{ label: 'Red' }, { label: 'Blue' }] });
      const note = await addField(api, 'varchar');
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options;
      const values = { [size.field_code]: size.options![1].id, [colours.field_code]: [colours.options![1].id], [note.field_code]: 'n' };
      const person = (await api.post('/api/v2/persons', { name: 'P', label_ids: [labels[2].id, labels[0].id], custom_fields: values })).body.data;

      const picked = await api.get(`/api/v2/persons/${person.id}?custom_fields=${note.field_code},${'a'.repeat(40)}`);
      assert.deepEqual(picked.body.data.custom_fields, { [note.field_code]: 'n' });
      const plain = await api.get(`/api/v2/persons/${person.id}`);
      assert.deepEqual(plain.body.data.custom_fields, values);
      assert.equal(plain.body.data.labels, undefined);

      const expanded = await api.get(`/api/v2/persons/${person.id}?include_option_labels=true&include_labels=true`);
      assert.deepEqual(expanded.body.data.custom_fields, {
        [size.field_code]: { id: size.options![1].id, label: 'L' },
        [colours.field_code]: [{ id: colours.options![1].id, label: 'Blue' }],
        [note.field_code]: 'n',
      });
      assert.deepEqual(expanded.body.data.label_ids, [labels[2].id, labels[0].id]);
      assert.deepEqual(expanded.body.data.labels, [{ id: labels[2].id, label: 'Warm lead' }, { id: labels[0].id, label: 'Customer' }]);
      const list = await api.get(`/api/v2/persons?include_option_labels=true&custom_fields=${size.field_code}`);
      assert.deepEqual(list.body.data[0].custom_fields, { [size.field_code]: { id: size.options![1].id, label: 'L' } });
      const off = await api.get(`/api/v2/persons/${person.id}?include_option_labels=false&include_labels=false`);
      assert.deepEqual(off.body.data, plain.body.data);
    });

    it('validates label_ids against the label options, which are managed as field options', async () => {
      const { api } = await newTenant(server);
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options;
      const unknown = await api.post('/api/v2/persons', { name: 'X', label_ids: [labels[0].id, 987654321] });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error, /label_ids: 987654321 is not a person label/);

      const added = (await api.post('/api/v2/personFields/label_ids/options', [{ label: 'Partner' }])).body.data[0];
      const person = (await api.post('/api/v2/persons', { name: 'P', label_ids: [added.id, labels[1].id] })).body.data;
      assert.deepEqual(person.label_ids, [added.id, labels[1].id]);
      await api.patch('/api/v2/personFields/label_ids/options', [{ id: added.id, label: 'Key partner' }]);
      const renamed = await api.get(`/api/v2/persons/${person.id}?include_labels=true`);
      assert.deepEqual(renamed.body.data.labels, [{ id: added.id, label: 'Key partner' }, { id: labels[1].id, label: 'Hot lead' }]);

      const removed = await api.delete('/api/v2/personFields/label_ids/options', [{ id: added.id }]);
      assert.equal(removed.status, 200);
      assert.deepEqual((await api.get(`/api/v2/persons/${person.id}`)).body.data.label_ids, [labels[1].id], 'a deleted label leaves every person');
      assert.equal((await api.patch(`/api/v2/persons/${person.id}`, { label_ids: [added.id] })).status, 400);
      assert.equal((await api.delete('/api/v2/personFields/label_ids')).status, 400, 'the label field itself stays');
    });

    it('removes deleted options and fields from every person that held them', async () => {
      const { api } = await newTenant(server);
      const size = await addField(api, 'enum', { options: [{ label: 'S' }, { label: 'M' }, { label: 'L' }] });
      const colours = await addField(api, 'set', { options: [{ label: 'Red' }, { label: 'Green' }, { label: 'Blue' }] });
      const note = await addField(api, 'varchar');
      const [s, m] = size.options!;
      const [red, green] = colours.options!;
      const mk = (name: string, custom_fields: Record<string, unknown>) => api.post('/api/v2/persons', { name, custom_fields }).then((r) => r.body.data.id);
      const a = await mk('A', { [size.field_code]: s.id, [colours.field_code]: [red.id, green.id], [note.field_code]: 'a' });
      const b = await mk('B', { [size.field_code]: m.id, [colours.field_code]: [red.id] });
      const c = await mk('C', { [note.field_code]: 'c' });
      const deletedPerson = await mk('D', { [colours.field_code]: [red.id], [note.field_code]: 'd' });
      await api.delete(`/api/v2/persons/${deletedPerson}`);
      const cf = async (id: number) => (await api.get(`/api/v2/persons/${id}`)).body.data.custom_fields;

      await api.delete(`/api/v2/personFields/${size.field_code}/options`, [{ id: s.id }]);
      await api.delete(`/api/v2/personFields/${colours.field_code}/options`, [{ id: red.id }]);
      assert.deepEqual(await cf(a), { [colours.field_code]: [green.id], [note.field_code]: 'a' });
      assert.deepEqual(await cf(b), { [size.field_code]: m.id }, 'a set left empty is cleared, never []');

      const refused = await api.patch(`/api/v2/persons/${b}`, { custom_fields: { [size.field_code]: s.id } });
      assert.equal(refused.status, 400, 'a deleted option is no longer accepted');

      await api.delete(`/api/v2/personFields/${note.field_code}`);
      assert.deepEqual(await cf(a), { [colours.field_code]: [green.id] });
      assert.deepEqual(await cf(c), {});
      const listed = (await api.get('/api/v2/persons')).body.data;
      assert.ok(listed.every((p: any) => !(note.field_code in p.custom_fields)));
      const stored = await server.store.db.selectFrom('persons').select('custom_fields').where('id', '=', deletedPerson).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(stored.custom_fields), {}, 'deleted persons hold no orphaned values either');

      const ignored = await api.patch(`/api/v2/persons/${c}`, { name: 'C2', custom_fields: { [note.field_code]: 'late' } });
      assert.equal(ignored.status, 200, 'a deleted field\'s key is ignored, as Pipedrive ignores it');
      assert.deepEqual(ignored.body.data.custom_fields, {});
    });
  });
}
