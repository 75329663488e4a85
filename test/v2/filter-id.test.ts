import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { type ModelActivity, type ModelField, type ModelPerson, selects, treeArb } from '../helpers/filter-oracle.ts';

const tree = (and: unknown[], or: unknown[] = []) => ({ glue: 'and', conditions: [{ glue: 'and', conditions: and }, { glue: 'or', conditions: or }] });
const line = (field_id: string, operator: string, value: string | null = null, object = 'person') => ({ object, field_id, operator, value, extra_value: null });

async function personFieldIds(api: Api): Promise<Record<string, string>> {
  const fields = (await api.get('/v1/personFields?limit=500')).body.data as { id: number; key: string }[];
  return Object.fromEntries(fields.map((f) => [f.key, String(f.id)]));
}

async function saveFilter(api: Api, type: string, conditions: unknown): Promise<number> {
  const res = await api.post('/v1/filters', { name: `f-${Math.random()}`, type, conditions });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.id;
}

/** Every page of a v2 list, following next_cursor. */
async function allPages(api: Api, path: string): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.get(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(...res.body.data.map((p: { id: number }) => p.id));
    cursor = res.body.additional_data.next_cursor;
  } while (cursor);
  return ids;
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

for (const backend of testBackends()) {
  describe(`filter_id on lists [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('selects persons by standard fields, contacts, labels and custom fields, with cursors and sorting, ignoring ids and owner_id', async () => {
      const { api, userId } = await newTenant(server);
      const score = (await api.post('/api/v2/personFields', { field_name: 'Score', field_type: 'double' })).body.data;
      const tier = (await api.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'enum', options: [{ label: 'Gold' }, { label: 'Silver' }] })).body.data;
      const ids = await personFieldIds(api);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: { id: number }) => o.id);
      const add = async (body: Record<string, unknown>) => {
        const res = await api.post('/api/v2/persons', body);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.data.id as number;
      };
      const gold = tier.options[0].id;
      const jane = await add({ name: 'Jane Roe', emails: [{ value: 'jane@acme.io', primary: true }], org_id: org.id, label_ids: [labels[0]], custom_fields: { [score.field_code]: 9.5, [tier.field_code]: gold } });
      const jan = await add({ name: 'Jan Poe', emails: [{ value: 'jan@other.io', primary: true }, { value: 'jan@acme.io', primary: false }], custom_fields: { [score.field_code]: 3 } });
      const bob = await add({ name: 'Bob 100% Real', label_ids: [labels[0], labels[1]], birthday: '1990-05-01' });
      const ann = await add({ name: 'Ann', org_id: org.id, custom_fields: { [tier.field_code]: tier.options[1].id } });

      const check = async (conditions: unknown, expected: number[], message: string) => {
        const id = await saveFilter(api, 'people', conditions);
        assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${id}&limit=1`), expected, message);
      };
      await check(tree([line(ids.name, "LIKE '$%'", 'ja')]), [jane, jan], 'starts with, case ignored');
      await check(tree([line(ids.name, "LIKE '%$%'", '100%')]), [bob], 'a % in the value is a literal %');
      await check(tree([line(ids.email, "LIKE '%$%'", '@acme.io')]), [jane, jan], 'any of the emails');
      await check(tree([line(ids.email, 'IS NULL')]), [bob, ann], 'no email at all');
      await check(tree([line(ids.email, "NOT LIKE '%$%'", 'other')]), [jane, bob, ann], 'no email containing it');
      await check(tree([line(ids.label, '=', String(labels[0]))]), [jane, bob], 'labels');
      await check(tree([line(ids.org_id, 'IS NOT NULL'), line(ids[tier.field_code], '!=', String(gold))]), [ann], 'and group');
      await check(tree([], [line(ids[score.field_code], '>', '5'), line(ids.birthday, '<', '2000-01-01')]), [jane, bob], 'or group over a custom number and a date');
      await check(tree([line(ids[score.field_code], 'IS NULL')]), [bob, ann], 'no custom value');
      await check(tree([line(ids.add_time, '=', 'today'), line(ids.owner_id, '=', String(userId))]), [jane, jan, bob, ann], 'relative dates on the clock');
      await check(tree([line(ids.add_time, '=', 'yesterday')]), [], 'nothing added yesterday');
      await check(tree([]), [jane, jan, bob, ann], 'an empty filter selects everything');

      const byName = await saveFilter(api, 'people', tree([], [line(ids.name, "LIKE '%$%'", 'an')]));
      assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${byName}&limit=2&sort_by=id&sort_direction=desc`), [ann, jane, jan].sort((a, b) => b - a));
      await api.patch(`/api/v2/persons/${jan}`, { job_title: 'Boss' });
      const byUpdate = `/api/v2/persons?filter_id=${byName}&sort_by=update_time&sort_direction=desc`;
      const onePage = (await api.get(`${byUpdate}&limit=100`)).body.data.map((p: { id: number }) => p.id);
      assert.deepEqual(sorted(onePage), [jane, jan, ann]);
      assert.deepEqual(await allPages(api, `${byUpdate}&limit=1`), onePage, 'cursor pages follow the sort');
      assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${byName}&ids=${bob}&owner_id=999&org_id=${org.id}&limit=100`), [jane, jan, ann], 'ids, owner_id and org_id are ignored beside a filter');

      // v1 persons: offsets and sort with the filter.
      const v1 = await api.get(`/v1/persons?filter_id=${byName}&start=1&limit=1&sort=name ASC`);
      assert.equal(v1.status, 200, JSON.stringify(v1.body));
      assert.deepEqual(v1.body.data.map((p: { id: number }) => p.id), [jan]);
      assert.equal(v1.body.additional_data.pagination.more_items_in_collection, true);

      // A filter naming a field deleted since no longer applies: a 400 naming the field.
      const byScore = await saveFilter(api, 'people', tree([line(ids[score.field_code], '>', '1')]));
      assert.equal((await api.delete(`/api/v2/personFields/${score.field_code}`)).status, 200);
      const stale = await api.get(`/api/v2/persons?filter_id=${byScore}`);
      assert.equal(stale.status, 400);
      assert.match(stale.body.error, new RegExp(`field_id "${ids[score.field_code]}"`));
    });

    it('applies org and deals filters to their lists; a filter of another type or an unknown one is refused', async () => {
      const { api } = await newTenant(server);
      const acme = (await api.post('/api/v2/organizations', { name: 'Acme Corp' })).body.data.id;
      await api.post('/api/v2/organizations', { name: 'Globex' });
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data.id;
      const big = (await api.post('/api/v2/deals', { title: 'Big', value: 5000, currency: 'EUR', org_id: acme })).body.data.id;
      const small = (await api.post('/api/v2/deals', { title: 'Small', value: 50, currency: 'EUR', person_id: person })).body.data.id;
      const orgFilter = await saveFilter(api, 'org', tree([line('name', "LIKE '%$%'", 'acme', 'organization')]));
      const dealFilter = await saveFilter(api, 'deals', tree([], [line('value', '>=', '1000', 'deal'), line('person_id', '=', String(person), 'deal')]));
      const wonFilter = await saveFilter(api, 'deals', tree([line('status', '=', 'won', 'deal')]));
      assert.deepEqual(await allPages(api, `/api/v2/organizations?filter_id=${orgFilter}&owner_id=12345`), [acme]);
      assert.deepEqual(sorted(await allPages(api, `/api/v2/deals?filter_id=${dealFilter}&person_id=999`)), [big, small]);
      assert.deepEqual(await allPages(api, `/api/v2/deals?filter_id=${wonFilter}`), []);
      const wrong = await api.get(`/api/v2/persons?filter_id=${dealFilter}`);
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.error, /is a deals filter; the persons list takes people filters/);
      assert.equal((await api.get(`/api/v2/deals?filter_id=${orgFilter}`)).status, 400);
      assert.equal((await api.get('/api/v2/persons?filter_id=987654')).status, 404);
      assert.equal((await api.get('/v1/persons?filter_id=987654')).status, 404);
    });

    it("selects organizations and deals by their custom fields, named by the field's id or key, and standard fields by their field row's id", async () => {
      const { api } = await newTenant(server);
      const orgField = (await api.post('/v1/organizationFields', { name: 'Region', field_type: 'varchar' })).body.data;
      const dealField = (await api.post('/v1/dealFields', { name: 'Seats', field_type: 'double' })).body.data;
      const north = (await api.post('/api/v2/organizations', { name: 'North Ltd', custom_fields: { [orgField.key]: 'Nordics' } })).body.data.id;
      await api.post('/api/v2/organizations', { name: 'South Ltd', custom_fields: { [orgField.key]: 'Iberia' } });
      const many = (await api.post('/api/v2/deals', { title: 'Many seats', custom_fields: { [dealField.key]: 250 } })).body.data.id;
      await api.post('/api/v2/deals', { title: 'Few seats', custom_fields: { [dealField.key]: 3 } });
      await api.post('/api/v2/deals', { title: 'Unknown seats' });
      const orgById = await saveFilter(api, 'org', tree([line(String(orgField.id), "LIKE '%$%'", 'nord', 'organization')]));
      assert.deepEqual(await allPages(api, `/api/v2/organizations?filter_id=${orgById}`), [north]);
      const dealByKey = await saveFilter(api, 'deals', tree([line(dealField.key, '>', '100', 'deal')]));
      assert.deepEqual(await allPages(api, `/api/v2/deals?filter_id=${dealByKey}`), [many]);
      const dealFields = (await api.get('/v1/dealFields?limit=500')).body.data as { id: number; key: string }[];
      const titleId = String(dealFields.find((f) => f.key === 'title')!.id);
      const byTitleRow = await saveFilter(api, 'deals', tree([line(titleId, '=', 'Many seats', 'deal')]));
      assert.deepEqual(await allPages(api, `/api/v2/deals?filter_id=${byTitleRow}`), [many]);
    });

    it("tests linked records' fields: a person's organization, a deal's person and organization, as the caller sees them", async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const ids = await personFieldIds(api);
      const member = await tenant.addUser();
      const acme = (await api.post('/api/v2/organizations', { name: 'Acme Corp', visible_to: 7 })).body.data.id;
      const hidden = (await api.post('/api/v2/organizations', { name: 'Acme Hidden', visible_to: 1 })).body.data.id;
      const atAcme = (await api.post('/api/v2/persons', { name: 'At Acme', org_id: acme, visible_to: 7, emails: [{ value: 'a@acme.io', primary: true }] })).body.data.id;
      const atHidden = (await api.post('/api/v2/persons', { name: 'At Hidden', org_id: hidden, visible_to: 7 })).body.data.id;
      const alone = (await api.post('/api/v2/persons', { name: 'Alone', visible_to: 7 })).body.data.id;
      const org = (operator: string, value: string | null = null) => ({ ...line('name', operator, value), object: 'organization' });
      const shared = async (conditions: unknown) =>
        (await api.post('/v1/filters', { name: 'linked', type: 'people', visible_to: 7, conditions })).body.data.id as number;
      const contains = await shared(tree([org("LIKE '%$%'", 'acme')]));
      const lacks = await shared(tree([org("NOT LIKE '%$%'", 'acme')]));
      const orgless = await shared(tree([org('IS NULL')]));
      assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${contains}`), [atAcme, atHidden]);
      assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${lacks}`), [alone], 'a person without an organization has no name containing it');
      assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${orgless}`), [alone]);
      assert.deepEqual(await allPages(member.api, `/api/v2/persons?filter_id=${contains}`), [atAcme], "an organization the caller cannot see is tested as no organization");
      assert.deepEqual(await allPages(member.api, `/api/v2/persons?filter_id=${orgless}`), [atHidden, alone]);

      const deal = (title: string, body: Record<string, unknown>) => api.post('/api/v2/deals', { title, visible_to: 7, ...body }).then((r) => r.body.data.id as number);
      const d1 = await deal('One', { person_id: atAcme, org_id: acme });
      const d2 = await deal('Two', { person_id: alone });
      await deal('Three', {});
      const byPerson = (await api.post('/v1/filters', { name: 'deals', type: 'deals', conditions: tree([{ ...line(ids.email, "LIKE '%$%'", '@acme.io'), object: 'person' }]) })).body.data.id;
      const byEither = (await api.post('/v1/filters', { name: 'deals', type: 'deals', conditions: tree([], [org('=', 'Acme Corp'), { ...line(ids.name, '=', 'Alone'), object: 'person' }]) })).body.data.id;
      assert.deepEqual(await allPages(api, `/api/v2/deals?filter_id=${byPerson}`), [d1]);
      assert.deepEqual(await allPages(api, `/api/v2/deals?filter_id=${byEither}`), [d1, d2]);
      const coded = (await api.get(`/v1/filters/${byEither}?include_field_code=true`)).body.data.conditions.conditions[1].conditions;
      assert.deepEqual(coded.map((c: { field_code: string }) => c.field_code), ['name', 'name']);
      const refused = await api.post('/v1/filters', { name: 'x', type: 'org', conditions: tree([{ ...line(ids.name, '=', 'x'), object: 'person' }]) });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error, /this filter's conditions name "organization" fields/);
    });

    it('applies activity filters to v2 and v1 activity lists, over their own fields and their person, organization and deal', async () => {
      const tenant = await newTenant(server);
      const { api, userId } = tenant;
      const member = await tenant.addUser();
      const act = (field_id: string, operator: string, value: string | null = null, extra_value: string | null = null) => ({ object: 'activity', field_id, operator, value, extra_value });
      const fieldIds = Object.fromEntries(((await api.get('/v1/activityFields')).body.data as { id: number; key: string }[]).map((f) => [f.key, String(f.id)]));
      const ada = (await api.post('/api/v2/persons', { name: 'Ada Lovelace', visible_to: 7 })).body.data.id;
      const secret = (await api.post('/api/v2/persons', { name: 'Ada Secret', visible_to: 1 })).body.data.id;
      const acme = (await api.post('/api/v2/organizations', { name: 'Acme', visible_to: 7 })).body.data.id;
      const deal = (await api.post('/api/v2/deals', { title: 'Big one', value: 900, visible_to: 7 })).body.data.id;
      const add = async (body: Record<string, unknown>) => {
        const res = await api.post('/api/v2/activities', { due_date: '2026-03-10', ...body });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.data.id as number;
      };
      const call = await add({ subject: 'Call Ada', type: 'call', person_id: ada, due_time: '09:30', location: { value: 'Main St 1, Berlin', locality: 'Berlin' } });
      const lunch = await add({ subject: 'Lunch', type: 'lunch', org_id: acme, due_date: '2026-04-01', done: true });
      const pitch = await add({ subject: 'Pitch', type: 'meeting', deal_id: deal, owner_id: member.userId, due_time: '14:00' });
      const hidden = await add({ subject: 'Call Ada in secret', type: 'call', person_id: secret });
      const check = async (conditions: unknown, expected: number[], message: string) => {
        const id = await saveFilter(api, 'activity', conditions);
        assert.deepEqual(sorted(await allPages(api, `/api/v2/activities?filter_id=${id}&limit=1`)), sorted(expected), message);
        return id;
      };
      await check(tree([act(fieldIds.subject, "LIKE '%$%'", 'call')]), [call, hidden], 'subject contains, by field id');
      await check(tree([act('type', '=', 'meeting')]), [pitch], 'type by key');
      await check(tree([act('done', '=', '1')]), [lunch], 'done');
      await check(tree([act('due_date', '<', '2026-04-01')]), [call, pitch, hidden], 'due date before');
      await check(tree([act('due_time', '>', '09:30:00')]), [pitch], 'due time after, stored without seconds');
      await check(tree([act('due_time', '<', '09:30:00')]), [], 'nothing before 09:30');
      await check(tree([act('user_id', '=', String(member.userId))]), [pitch], 'assigned user');
      await check(tree([act('location', "LIKE '%$%'", 'berlin', 'locality')]), [call], 'a part of the location');
      await check(tree([{ object: 'person', field_id: (await personFieldIds(api)).name, operator: "LIKE '$%'", value: 'ada', extra_value: null }]), [call, hidden], "the activity's person");
      await check(tree([], [{ object: 'organization', field_id: 'name', operator: '=', value: 'Acme', extra_value: null }, { object: 'deal', field_id: 'value', operator: '>', value: '500', extra_value: null }]), [lunch, pitch], 'its organization or its deal');
      const calls = await check(tree([act('type', '=', 'call')]), [call, hidden], 'calls');

      assert.deepEqual(await allPages(api, `/api/v2/activities?filter_id=${calls}&owner_id=${member.userId}&person_id=${secret}`), [call, hidden], 'owner_id and person_id are ignored beside a filter');
      const shared = (await api.post('/v1/filters', { name: 'calls', type: 'activity', visible_to: 7, conditions: tree([act('type', '=', 'call')]) })).body.data.id;
      assert.deepEqual(await allPages(member.api, `/api/v2/activities?filter_id=${shared}`), [call], 'an activity of a person hidden from the caller stays hidden');

      // v1: the filter selects without user_id; user_id, done and the dates narrow it further.
      const v1 = async (query: string) => (await api.get(`/v1/activities?filter_id=${calls}${query}`)).body.data?.map((a: { id: number }) => a.id);
      assert.deepEqual(await v1(''), [hidden, call], 'by due date and time, all-day first');
      assert.deepEqual(await v1(`&user_id=${member.userId}`), []);
      assert.deepEqual(sorted(await v1(`&user_id=${userId}&done=0`)), sorted([call, hidden]));
      assert.deepEqual(await v1('&start=1&limit=1'), [call]);

      const people = await saveFilter(api, 'people', tree([line((await personFieldIds(api)).name, 'IS NOT NULL')]));
      const wrong = await api.get(`/api/v2/activities?filter_id=${people}`);
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.error, /is a people filter; the activities list takes activity filters/);
      assert.equal((await api.get('/v1/activities?filter_id=987654')).status, 404);
      const busy = await api.post('/v1/filters', { name: 'busy', type: 'activity', conditions: tree([act('busy_flag', '=', '1')]) });
      assert.equal(busy.status, 400);
      assert.match(busy.body.error, /busy_flag/);
      const personField = await api.post('/v1/filters', { name: 'x', type: 'people', conditions: tree([act('subject', '=', 'x')]) });
      assert.equal(personField.status, 400, 'a people filter cannot name activity fields');
    });

    it("narrows persons by a label with personsd's label_id, alone or beside a saved filter", async () => {
      const { api } = await newTenant(server);
      const ids = await personFieldIds(api);
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: { id: number }) => o.id);
      const add = async (name: string, label_ids: number[]) => (await api.post('/api/v2/persons', { name, label_ids })).body.data.id as number;
      const hotAda = await add('Ada', [labels[1]]);
      const hotBob = await add('Bob', [labels[0], labels[1]]);
      await add('Ann', [labels[0]]);
      await add('Cy', []);
      const res = await api.get(`/api/v2/persons?label_id=${labels[1]}&limit=1`);
      assert.equal(res.headers.get('x-personsd-ignored-params'), null, 'label_id is taken, not ignored');
      assert.deepEqual(await allPages(api, `/api/v2/persons?label_id=${labels[1]}&limit=1`), [hotAda, hotBob]);
      const startsWithA = await saveFilter(api, 'people', tree([line(ids.name, "LIKE '$%'", 'a')]));
      assert.deepEqual(await allPages(api, `/api/v2/persons?filter_id=${startsWithA}&label_id=${labels[1]}`), [hotAda]);
      assert.deepEqual(await allPages(api, '/api/v2/persons?label_id=987654'), []);
      const exported = await api.get(`/api/v2/persons/export?filter_id=${startsWithA}&label_id=${labels[1]}`);
      assert.equal(exported.status, 200);
      const lines = String(exported.body).trim().split('\n');
      assert.equal(lines.length, 2, 'the header and Ada');
      assert.match(lines[1], /Ada/);
      assert.equal((await api.get('/api/v2/persons?label_id=abc')).status, 400);
    });

    it('never widens what a user sees: visibility applies on top of a shared filter', async () => {
      const tenant = await newTenant(server);
      const ids = await personFieldIds(tenant.api);
      const member = await tenant.addUser();
      const hidden = (await tenant.api.post('/api/v2/persons', { name: 'Secret Sam', visible_to: 1 })).body.data.id;
      const open = (await tenant.api.post('/api/v2/persons', { name: 'Open Sam', visible_to: 7 })).body.data.id;
      const shared = (await tenant.api.post('/v1/filters', { name: 'Sams', type: 'people', visible_to: 7, conditions: tree([line(ids.name, "LIKE '%$%'", 'sam')]) })).body.data.id;
      assert.deepEqual(await allPages(tenant.api, `/api/v2/persons?filter_id=${shared}&limit=10`), [hidden, open], 'the admin sees both');
      assert.deepEqual(await allPages(member.api, `/api/v2/persons?filter_id=${shared}&limit=10`), [open], 'the member only what they see');
      assert.deepEqual((await member.api.get(`/v1/persons?filter_id=${shared}`)).body.data.map((p: { id: number }) => p.id), [open]);
    });

    it('selects exactly the persons a plain in-code evaluation of random condition trees selects', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const other = (await addUser()).userId;
      const make = async (field_name: string, field_type: string, options?: string[]) => {
        const res = await api.post('/api/v2/personFields', { field_name, field_type, ...(options ? { options: options.map((label) => ({ label })) } : {}) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.data as { field_code: string; options: { id: number }[] | null };
      };
      const [score, size, tags, since] = [await make('Score', 'double'), await make('Size', 'enum', ['S', 'M', 'L']), await make('Tags', 'set', ['a', 'b', 'c']), await make('Since', 'date')];
      const ids = await personFieldIds(api);
      const ORG_NAMES = ['Acme Ltd', 'acme_2'];
      const orgs: number[] = [];
      for (const name of ORG_NAMES) orgs.push((await api.post('/api/v2/organizations', { name })).body.data.id);
      const labels: number[] = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: { id: number }) => o.id).slice(0, 3);
      const sizes = (size.options ?? []).map((o) => o.id);
      const tagIds = (tags.options ?? []).map((o) => o.id);
      const NAMES = ['Ann Lee', 'anna_b', 'Bob 100%', 'bobby', 'Carl', 'Dana Ann'];
      const TITLES = [null, 'CEO', 'ceo assistant', 'Dev_ops'];
      const EMAILS = ['ann@x.io', 'bob@y.io', 'c_d@x.io'];
      const DATES = ['2024-01-10', '2024-01-31', '2024-02-01', '2024-03-15'];
      const personArb = fc.record({
        name: fc.constantFrom(...NAMES),
        job_title: fc.constantFrom(...TITLES),
        emails: fc.subarray(EMAILS),
        owner_id: fc.constantFrom(userId, other),
        org_id: fc.constantFrom(null, ...orgs),
        label_ids: fc.subarray(labels),
        score: fc.constantFrom(null, -3, 0, 1, 2.5, 10),
        size: fc.constantFrom(null, ...sizes),
        tags: fc.subarray(tagIds),
        since: fc.constantFrom(null, ...DATES),
        birthday: fc.constantFrom(null, ...DATES),
      });
      const people: ModelPerson[] = [];
      for (const p of fc.sample(personArb, { numRuns: 24, seed: 17 })) {
        const custom: Record<string, unknown> = {};
        if (p.score !== null) custom[score.field_code] = p.score;
        if (p.size !== null) custom[size.field_code] = p.size;
        if (p.tags.length > 0) custom[tags.field_code] = p.tags;
        if (p.since !== null) custom[since.field_code] = p.since;
        const body = { name: p.name, job_title: p.job_title, emails: p.emails.map((value, i) => ({ value, primary: i === 0 })), owner_id: p.owner_id, org_id: p.org_id, label_ids: p.label_ids, birthday: p.birthday, custom_fields: custom, visible_to: 7 };
        const res = await api.post('/api/v2/persons', body);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        people.push({ ...p, id: res.body.data.id, add_time: res.body.data.add_time, org_name: p.org_id === null ? null : ORG_NAMES[orgs.indexOf(p.org_id)] });
      }
      const fields: ModelField[] = [
        { id: ids.name, property: 'name', kind: 'text', values: ['Ann Lee', 'ann', 'AN', 'b_', '100%', '%', 'Carl', 'x'] },
        { id: ids.job_title, property: 'job_title', kind: 'text', values: ['CEO', 'ceo', 'ops', '_'] },
        { id: ids.email, property: 'emails', kind: 'contacts', values: ['ann@x.io', '@x.io', 'bob', 'c_d', 'zzz'] },
        { id: ids.owner_id, property: 'owner_id', kind: 'option', values: [String(userId), String(other)] },
        { id: ids.org_id, property: 'org_id', kind: 'option', values: orgs.map(String) },
        { id: ids.label, property: 'label_ids', kind: 'set', values: labels.map(String) },
        { id: ids[score.field_code], property: 'score', kind: 'number', values: ['-3', '0', '1', '2.5', '5'] },
        { id: ids[size.field_code], property: 'size', kind: 'option', values: sizes.map(String) },
        { id: ids[tags.field_code], property: 'tags', kind: 'set', values: tagIds.map(String) },
        { id: ids[since.field_code], property: 'since', kind: 'date', values: DATES },
        { id: ids.birthday, property: 'birthday', kind: 'date', values: [...DATES, '2024-01-11'] },
        { id: ids.add_time, property: 'add_time', kind: 'stamp', values: ['today', 'yesterday', 'this_week', 'last_month', 'this_year', 'before_today'] },
        { object: 'organization', id: 'name', property: 'org_name', kind: 'text', values: ['Acme Ltd', 'acme', '_', 'Ltd'] },
      ];
      const byId = new Map(fields.map((f) => [`${f.object ?? 'person'}:${f.id}`, f]));
      await fc.assert(
        fc.asyncProperty(treeArb(fields), async (conditions) => {
          const filterId = await saveFilter(api, 'people', conditions);
          const res = await api.get(`/api/v2/persons?filter_id=${filterId}&limit=500`);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const expected = people.filter((p) => selects(conditions, p, byId, Date.now())).map((p) => p.id);
          assert.deepEqual(res.body.data.map((p: { id: number }) => p.id), expected);
        }),
        { numRuns: 60, seed: Number(process.env.FILTER_SEED ?? Date.now() % 100000) },
      );
    });
    it('selects exactly the activities a plain in-code evaluation of random activity filter trees selects', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const other = (await addUser()).userId;
      const PERSON_NAMES = ['Ann Lee', 'bob_2'];
      const persons: number[] = [];
      for (const name of PERSON_NAMES) persons.push((await api.post('/api/v2/persons', { name, visible_to: 7 })).body.data.id);
      const SUBJECTS = ['Call Ann', 'call_back', 'Lunch 100%', 'Demo'];
      const DATES = ['2024-01-10', '2024-01-31', '2024-02-01', '2024-03-15'];
      const activityArb = fc.record({
        subject: fc.constantFrom(...SUBJECTS),
        done: fc.constantFrom(0, 1),
        due_date: fc.constantFrom(...DATES),
        user_id: fc.constantFrom(userId, other),
        person_id: fc.constantFrom(null, ...persons),
      });
      const activities: ModelActivity[] = [];
      for (const a of fc.sample(activityArb, { numRuns: 20, seed: 17 })) {
        const res = await api.post('/api/v2/activities', { subject: a.subject, done: a.done === 1, due_date: a.due_date, owner_id: a.user_id, person_id: a.person_id });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        activities.push({ id: res.body.data.id, subject: a.subject, done: a.done, due_date: a.due_date, user_id: a.user_id, person_name: a.person_id === null ? null : PERSON_NAMES[persons.indexOf(a.person_id)] });
      }
      const ids = Object.fromEntries(((await api.get('/v1/activityFields')).body.data as { id: number; key: string }[]).map((f) => [f.key, String(f.id)]));
      const fields: ModelField<ModelActivity>[] = [
        { object: 'activity', id: ids.subject, property: 'subject', kind: 'text', values: ['Call Ann', 'call', 'CALL_', '100%', '%', '_', 'x'] },
        { object: 'activity', id: 'done', property: 'done', kind: 'option', values: ['0', '1'] },
        { object: 'activity', id: ids.due_date, property: 'due_date', kind: 'date', values: [...DATES, '2024-01-11'] },
        { object: 'activity', id: 'user_id', property: 'user_id', kind: 'option', values: [String(userId), String(other)] },
        { object: 'person', id: (await personFieldIds(api)).name, property: 'person_name', kind: 'text', values: ['Ann Lee', 'ann', 'b_', 'x'] },
      ];
      const byId = new Map(fields.map((f) => [`${f.object}:${f.id}`, f]));
      await fc.assert(
        fc.asyncProperty(treeArb(fields), async (conditions) => {
          const filterId = await saveFilter(api, 'activity', conditions);
          const got = await allPages(api, `/api/v2/activities?filter_id=${filterId}&limit=500`);
          const expected = activities.filter((a) => selects(conditions, a, byId, Date.now())).map((a) => a.id);
          assert.deepEqual(sorted(got), sorted(expected));
        }),
        { numRuns: 40, seed: Number(process.env.FILTER_SEED ?? Date.now() % 100000) },
      );
    });
  });
}
