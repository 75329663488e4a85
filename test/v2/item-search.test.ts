import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { oauthHeaders } from '../helpers/access-matrix.ts';
import { Api, type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

type Params = Record<string, string | number | boolean>;
const qs = (params: Params) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

async function itemSearch(api: Api, params: Params): Promise<{ items: any[]; related: any[]; nextCursor: string | null }> {
  const res = await api.get(`/api/v2/itemSearch?${qs(params)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  assert.deepEqual(Object.keys(res.body.additional_data), ['next_cursor']);
  return { items: res.body.data.items, related: res.body.data.related_items, nextCursor: res.body.additional_data.next_cursor };
}

async function fieldSearch(api: Api, params: Params): Promise<{ data: any[]; nextCursor: string | null }> {
  const res = await api.get(`/api/v2/itemSearch/field?${qs(params)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { data: res.body.data, nextCursor: res.body.additional_data.next_cursor };
}

/** Every page of a search, following next_cursor until it is null. */
async function allPages(api: Api, params: Params): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await itemSearch(api, cursor === null ? params : { ...params, cursor });
    assert.ok(page.items.length <= Number(params.limit ?? 100));
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
    assert.ok(pages < 100, 'paging never ends');
  } while (cursor !== null);
  return { items, pages };
}

const keys = (items: any[]) => items.map((i) => `${i.item.type}:${i.item.id}`);
const add = async (api: Api, path: string, body: unknown) => {
  const res = await api.post(path, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
};

for (const backend of testBackends()) {
  describe(`v2 itemSearch [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('merges persons, organizations and deals by score, best first, in the v2 shape', async () => {
      const { api, userId } = await newTenant(server);
      const org = await add(api, '/api/v2/organizations', { name: 'Vandelay', address: { value: '1 Latex Way' } });
      const art = await add(api, '/api/v2/persons', { name: 'Art Vandelay', org_id: org.id, phones: [{ value: '555-0199' }] });
      const deal = await add(api, '/api/v2/deals', { title: 'Vandelay import', value: 500, currency: 'USD', person_id: art.id, org_id: org.id });
      const mailer = await add(api, '/api/v2/persons', { name: 'Kel Varnsen', emails: [{ value: 'kel@vandelay.example' }] });
      await add(api, '/api/v2/persons', { name: 'Unrelated Person' });

      const stage = (await api.get(`/api/v2/stages/${deal.stage_id}`)).body.data;
      assert.ok(stage.name, 'a new deal sits in the default pipeline\'s first stage');
      const found = await itemSearch(api, { term: 'vandelay' });
      // Exact name (1), a name word (0.75) and a title word (0.75: persons before deals on equal scores), an email word (0.7).
      assert.deepEqual(keys(found.items), [`organization:${org.id}`, `person:${art.id}`, `deal:${deal.id}`, `person:${mailer.id}`]);
      assert.deepEqual(found.items.map((i) => i.result_score), [1, 0.75, 0.75, 0.7]);
      assert.deepEqual(found.related, []);
      assert.equal(found.nextCursor, null);
      assert.deepEqual(found.items[0].item, { id: org.id, type: 'organization', name: 'Vandelay', address: '1 Latex Way', visible_to: 3, owner: { id: userId }, custom_fields: [], notes: [] });
      assert.deepEqual(found.items[1].item, {
        id: art.id,
        type: 'person',
        name: 'Art Vandelay',
        phones: ['555-0199'],
        emails: [],
        visible_to: 3,
        owner: { id: userId },
        organization: { id: org.id, name: 'Vandelay', address: '1 Latex Way' },
        custom_fields: [],
        notes: [],
      });
      assert.deepEqual(found.items[2].item, {
        id: deal.id,
        type: 'deal',
        title: 'Vandelay import',
        value: 500,
        currency: 'USD',
        status: 'open',
        visible_to: 3,
        owner: { id: userId },
        stage: { id: stage.id, name: stage.name },
        person: { id: art.id, name: 'Art Vandelay' },
        organization: { id: org.id, name: 'Vandelay', address: '1 Latex Way' },
        custom_fields: [],
        notes: [],
        is_archived: false,
      });

      assert.deepEqual(keys((await itemSearch(api, { term: 'vandelay', item_types: 'deal,organization' })).items), [`organization:${org.id}`, `deal:${deal.id}`]);
      assert.deepEqual(keys((await itemSearch(api, { term: 'vandelay', fields: 'title,email' })).items), [`deal:${deal.id}`, `person:${mailer.id}`]);
      assert.deepEqual(keys((await itemSearch(api, { term: 'latex', fields: 'address' })).items), [`organization:${org.id}`]);
      assert.deepEqual(keys((await itemSearch(api, { term: 'VANDELAY IMPORT', exact_match: true })).items), [`deal:${deal.id}`]);
      assert.deepEqual(keys((await itemSearch(api, { term: '5550199' })).items), [`person:${art.id}`], 'phones by digits');
      for (const types of ['product', 'lead', 'file', 'mail_attachment', 'project', 'lead,product']) {
        assert.deepEqual((await itemSearch(api, { term: 'vandelay', item_types: types })).items, [], `personsd stores no ${types}`);
      }
      const withPicture = await itemSearch(api, { term: 'art vandelay', item_types: 'person', include_fields: 'person.picture' });
      assert.equal(withPicture.items[0].item.picture, null);
    });

    it('pages by cursor through the merged list: every item once, in the same order as one page', async () => {
      const { api } = await newTenant(server);
      // Equal scores across types (the exact "Kramer" of each) and several tiers per type.
      await add(api, '/api/v2/deals', { title: 'Kramer' });
      for (let i = 1; i <= 3; i++) await add(api, '/api/v2/deals', { title: `Kramer deal ${i}` });
      await add(api, '/api/v2/persons', { name: 'Kramer' });
      for (let i = 1; i <= 4; i++) await add(api, '/api/v2/persons', { name: `Cosmo Kramer ${i}` });
      await add(api, '/api/v2/organizations', { name: 'Kramerica' });
      await add(api, '/api/v2/organizations', { name: 'Kramer' });
      for (let i = 1; i <= 3; i++) await add(api, '/api/v2/persons', { name: `Fan ${i}`, emails: [{ value: `fan${i}@kramerica.example` }] });
      await add(api, '/api/v2/deals', { title: 'Unrelated' });

      const whole = await itemSearch(api, { term: 'kramer' });
      assert.equal(whole.items.length, 14);
      assert.equal(whole.nextCursor, null);
      const scores = whole.items.map((i) => i.result_score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'scores never rise');
      assert.deepEqual(whole.items.slice(0, 3).map((i) => i.item.type), ['person', 'organization', 'deal'], 'equal scores: persons, organizations, deals');
      for (const limit of [1, 2, 4, 7]) {
        const paged = await allPages(api, { term: 'kramer', limit });
        assert.deepEqual(keys(paged.items), keys(whole.items), `limit ${limit}`);
        assert.equal(paged.pages, Math.ceil(14 / limit), `limit ${limit}: no empty last page`);
      }

      // An item written between two pages is listed by a later page or not at all, never twice.
      const first = await itemSearch(api, { term: 'kramer', limit: 5 });
      await add(api, '/api/v2/persons', { name: 'Kramer' });
      await add(api, '/api/v2/deals', { title: 'Kramer deal 9' });
      const rest = await allPages(api, { term: 'kramer', limit: 5, cursor: first.nextCursor! });
      const seen = keys([...first.items, ...rest.items]);
      assert.equal(new Set(seen).size, seen.length, 'no item twice');
      assert.deepEqual(seen.slice(0, 5), keys(whole.items).slice(0, 5));
      assert.ok(seen.includes(keys((await itemSearch(api, { term: 'kramer deal 9', exact_match: true })).items)[0]), 'the new lower-ranked deal is on a later page');
    });

    it('leaves out persons, organizations and deals the caller may not see, keeping pages full, and does not name them on deals', async () => {
      const tenant = await newTenant(server);
      const owner = await tenant.addUser();
      const other = await tenant.addUser();
      const secret = await add(owner.api, '/api/v2/persons', { name: 'Newman Secret', visible_to: 1 });
      const secretOrg = await add(owner.api, '/api/v2/organizations', { name: 'Newman Postal', visible_to: 1 });
      const open = [];
      for (let i = 1; i <= 3; i++) open.push(await add(owner.api, '/api/v2/persons', { name: `Newman Open ${i}`, visible_to: 7 }));
      const deal = await add(owner.api, '/api/v2/deals', { title: 'Newman mail route', person_id: secret.id, org_id: secretOrg.id, visible_to: 7 });
      const privateDeal = await add(owner.api, '/api/v2/deals', { title: 'Newman private route', visible_to: 1 });

      const asOwner = await itemSearch(owner.api, { term: 'newman' });
      assert.deepEqual(keys(asOwner.items), [
        ...[secret, ...open].map((p) => `person:${p.id}`),
        `organization:${secretOrg.id}`,
        `deal:${deal.id}`,
        `deal:${privateDeal.id}`,
      ]);
      assert.deepEqual(asOwner.items[5].item.person, { id: secret.id, name: 'Newman Secret' });
      assert.deepEqual(asOwner.items[5].item.organization, { id: secretOrg.id, name: 'Newman Postal', address: null });

      const asOther = await allPages(other.api, { term: 'newman', limit: 2 });
      assert.deepEqual(keys(asOther.items), [...open.map((p) => `person:${p.id}`), `deal:${deal.id}`]);
      assert.equal(asOther.pages, 2, 'the hidden records do not leave a short page');
      assert.equal(asOther.items[3].item.person, null, "the deal's hidden person is not named");
      assert.equal(asOther.items[3].item.organization, null, "the deal's hidden organization is not named");
      assert.deepEqual((await fieldSearch(other.api, { term: 'Newman', entity_type: 'deal', field: 'title', match: 'beginning' })).data, [{ id: deal.id, title: 'Newman mail route' }]);
      assert.deepEqual((await fieldSearch(other.api, { term: 'Newman Postal', entity_type: 'organization', field: 'name' })).data, []);
      assert.deepEqual((await fieldSearch(other.api, { term: 'Newman Secret', entity_type: 'person', field: 'name' })).data, []);
      assert.deepEqual((await fieldSearch(tenant.api, { term: 'Newman Secret', entity_type: 'person', field: 'name' })).data, [{ id: secret.id, name: 'Newman Secret' }], 'admins see every person');
    });

    it("never returns another company's items", async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      await add(theirs.api, '/api/v2/persons', { name: 'Jackie Chiles' });
      await add(theirs.api, '/api/v2/organizations', { name: 'Chiles Law' });
      await add(theirs.api, '/api/v2/deals', { title: 'Chiles retainer' });
      assert.deepEqual((await itemSearch(mine.api, { term: 'chiles' })).items, []);
      assert.deepEqual((await fieldSearch(mine.api, { term: 'Chiles', entity_type: 'deal', field: 'title', match: 'middle' })).data, []);
      assert.equal((await itemSearch(theirs.api, { term: 'chiles' })).items.length, 3);
    });

    it('refuses bad input with a 400 naming the problem', async () => {
      const { api } = await newTenant(server);
      const { nextCursor } = await itemSearch(api, { term: 'zz' }).then(async (empty) => {
        assert.equal(empty.nextCursor, null);
        for (const name of ['Puddy One', 'Puddy Two']) await add(api, '/api/v2/persons', { name });
        return itemSearch(api, { term: 'puddy', limit: 1 });
      });
      assert.ok(nextCursor);
      const personsCursor = (await api.get('/api/v2/persons/search?term=puddy&limit=1')).body.additional_data.next_cursor;
      const cases: Array<[string, RegExp]> = [
        ['/api/v2/itemSearch', /term is required/],
        ['/api/v2/itemSearch?term=a', /term must be at least 2 characters/],
        ['/api/v2/itemSearch?term=ab&item_types=person,spaceship', /item_types: unknown value "spaceship"/],
        ['/api/v2/itemSearch?term=ab&fields=colour', /fields: unknown field "colour"/],
        ['/api/v2/itemSearch?term=ab&limit=101', /limit must be <= 100/],
        ['/api/v2/itemSearch?term=ab&exact_match=maybe', /exact_match must be a boolean/],
        ['/api/v2/itemSearch?term=ab&include_fields=person.name', /include_fields: unknown value "person.name"/],
        ['/api/v2/itemSearch?term=ab&search_for_related_items=true', /search_for_related_items is not supported/],
        [`/api/v2/itemSearch?term=pud&limit=1&cursor=${nextCursor}`, /cursor was issued for another search/],
        [`/api/v2/itemSearch?term=puddy&limit=1&item_types=person&cursor=${nextCursor}`, /cursor was issued for another search/],
        [`/api/v2/itemSearch?term=puddy&limit=1&cursor=${personsCursor}`, /cursor is not valid/],
        [`/api/v2/itemSearch?term=puddy&limit=1&cursor=${nextCursor.slice(0, -2)}xx`, /cursor is not valid/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=person', /field is required/],
        ['/api/v2/itemSearch/field?term=ab&field=name', /entity_type is required/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=spaceship&field=name', /entity_type must be one of/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=person&field=name&match=fuzzy', /match must be one of/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=person&field=birthday', /field "birthday" is not a searchable field of persons/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=deal&field=value', /field "value" is not a searchable field of deals/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=organization&field=toString', /field "toString" is not a searchable field of organizations/],
        ['/api/v2/itemSearch/field?term=a&entity_type=person&field=name&match=middle', /term must be at least 2 characters/],
        ['/api/v2/itemSearch/field?term=&entity_type=person&field=name', /term must not be empty/],
        ['/api/v2/itemSearch/field?term=ab&entity_type=person&field=name&limit=501', /limit must be <= 500/],
      ];
      for (const [path, message] of cases) {
        const res = await api.get(path);
        assert.equal(res.status, 400, path);
        assert.equal(res.body.success, false);
        assert.match(res.body.error, message, path);
      }
      const short = await api.get('/api/v2/itemSearch/field?term=a&entity_type=person&field=name&match=middle');
      assert.match(short.body.error_info, /match=exact/, 'the hint names v2\'s parameter, not v1\'s exact_match');
    });

    it('rebuilds the deal index when the service starts on an index of an older format', async () => {
      const own = await startTestServer(backend);
      const reopened: TestServer[] = [];
      try {
        const { api, companyId, token } = await newTenant(own);
        const deal = await add(api, '/api/v2/deals', { title: 'Pendant publishing' });
        const db = own.store.db;
        await sql`update settings set value = '4' where key = 'search_index_version'`.execute(db);
        await sql`delete from deal_search where company_id = ${companyId}`.execute(db);
        if (backend.name === 'sqlite') for (const table of ['title', 'terms']) await sql`drop table ${sql.table(`deal_search_${table}`)}`.execute(db);
        const again = await startTestServer(backend, { database: own.config.database });
        reopened.push(again);
        const fresh = new Api(again.url, token);
        assert.deepEqual(keys((await itemSearch(fresh, { term: 'pendant' })).items), [`deal:${deal.id}`]);
      } finally {
        for (const s of reopened) await s.close();
        await own.close();
      }
    });
  });

  describe(`v2 itemSearch/field [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('matches the whole value by default, or its beginning, or anywhere, case-sensitively, answering {id, <field>}', async () => {
      const { api } = await newTenant(server);
      const ids: number[] = [];
      for (const name of ['Elaine Benes', 'elaine benes', 'Elaine', 'Lainey Benes', 'Benes Elaine']) ids.push((await add(api, '/api/v2/persons', { name })).id);
      const by = async (term: string, match?: string) =>
        (await fieldSearch(api, { term, entity_type: 'person', field: 'name', ...(match && { match }) })).data;

      assert.deepEqual(await by('Elaine Benes'), [{ id: ids[0], name: 'Elaine Benes' }], 'exact is the default and case-sensitive');
      assert.deepEqual(await by('E', 'exact'), [], 'one character is allowed with exact');
      assert.deepEqual(await by('Elaine', 'beginning'), [
        { id: ids[2], name: 'Elaine' },
        { id: ids[0], name: 'Elaine Benes' },
      ], 'the whole value ranks before a start');
      assert.deepEqual(await by('Benes', 'beginning'), [{ id: ids[4], name: 'Benes Elaine' }]);
      const middle = async (term: string) => (await by(term, 'middle')).map((r) => r.id).sort((a, b) => a - b);
      assert.deepEqual(await middle('Benes'), [ids[0], ids[3], ids[4]]);
      assert.deepEqual(await middle('laine'), [ids[0], ids[1], ids[2], ids[4]]);
      assert.deepEqual(await middle('LAINE'), []);
    });

    it('searches emails, phones by digits, custom fields, organization fields and deal titles; other entity types find nothing', async () => {
      const { api } = await newTenant(server);
      const code = (await api.post('/api/v2/personFields', { field_name: 'Nickname', field_type: 'varchar' })).body.data.field_code;
      const person = await add(api, '/api/v2/persons', {
        name: 'David Puddy',
        emails: [{ value: 'puddy@autos.example' }, { value: 'dp@face.example' }],
        phones: [{ value: '+1 (212) 555-0142' }],
        custom_fields: { [code]: 'Face Painter' },
      });
      const org = await add(api, '/api/v2/organizations', { name: 'Saab Dealer', address: { value: '9 Auto Row' } });
      const deal = await add(api, '/api/v2/deals', { title: 'Eight-ball jacket' });
      const one = async (params: Params) => (await fieldSearch(api, params)).data;
      assert.deepEqual(await one({ term: 'dp@face.example', entity_type: 'person', field: 'email' }), [{ id: person.id, email: 'dp@face.example' }]);
      assert.deepEqual(await one({ term: '1212', entity_type: 'person', field: 'phone', match: 'beginning' }), [{ id: person.id, phone: '+1 (212) 555-0142' }]);
      assert.deepEqual(await one({ term: '212', entity_type: 'person', field: 'phone', match: 'beginning' }), [], 'a phone begins with its first digits');
      assert.deepEqual(await one({ term: 'Painter', entity_type: 'person', field: code, match: 'middle' }), [{ id: person.id, [code]: 'Face Painter' }]);
      assert.deepEqual(await one({ term: '9 Auto', entity_type: 'organization', field: 'address', match: 'beginning' }), [{ id: org.id, address: '9 Auto Row' }]);
      assert.deepEqual(await one({ term: 'Eight-ball jacket', entity_type: 'deal', field: 'title' }), [{ id: deal.id, title: 'Eight-ball jacket' }]);
      assert.deepEqual(await one({ term: 'eight-ball jacket', entity_type: 'deal', field: 'title' }), [], 'case-sensitive');
      for (const entity of ['lead', 'product', 'project']) {
        assert.deepEqual(await fieldSearch(api, { term: 'Eight', entity_type: entity, field: 'title', match: 'middle' }), { data: [], nextCursor: null }, entity);
      }
    });

    it('pages by cursor, skipping candidates whose stored value does not match the case', async () => {
      const { api } = await newTenant(server);
      const ids: number[] = [];
      for (let i = 0; i < 9; i++) ids.push((await add(api, '/api/v2/persons', { name: i % 3 === 2 ? `bania ${i}` : `Bania ${i}` })).id);
      const wanted = ids.filter((_, i) => i % 3 !== 2).map((id, n) => ({ id, name: `Bania ${ids.indexOf(id)}` }));
      const whole = await fieldSearch(api, { term: 'Bania', entity_type: 'person', field: 'name', match: 'beginning' });
      assert.deepEqual(whole, { data: wanted, nextCursor: null });
      const seen: unknown[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await fieldSearch(api, { term: 'Bania', entity_type: 'person', field: 'name', match: 'beginning', limit: 4, ...(cursor && { cursor }) });
        seen.push(...page.data);
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null);
      assert.deepEqual(seen, wanted);
      assert.equal(pages, 2);
      const first = await fieldSearch(api, { term: 'Bania', entity_type: 'person', field: 'name', match: 'beginning', limit: 4 });
      const other = await api.get(`/api/v2/itemSearch/field?term=Bania&entity_type=person&field=name&match=middle&cursor=${first.nextCursor}`);
      assert.equal(other.status, 400);
      assert.match(other.body.error, /cursor was issued for another search/);
    });
  });

  describe(`item search and users/find: token costs and OAuth scopes [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      const rateLimit = { ...DEFAULT_ACCESS.rateLimit, enabled: true, burst: 100, oauthBurst: 100, searchBurst: 3, dailyTokensPerSeat: 1000, multiplier: 1 };
      server = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, rateLimit } });
    });
    after(() => server.close());

    const remaining = (res: ApiResponse) => Number(res.headers.get('x-daily-ratelimit-token-remaining'));

    it("spends each operation's x-token-cost and shares the search window", async () => {
      const { api } = await newTenant(server);
      const start = remaining(await api.get('/v1/users/me'));
      const items = await api.get('/api/v2/itemSearch?term=ab');
      assert.equal(items.status, 200);
      assert.equal(remaining(items), start - 20);
      const field = await api.get('/api/v2/itemSearch/field?term=ab&entity_type=person&field=name');
      assert.equal(remaining(field), start - 40);
      const users = await api.get('/v1/users/find?term=admin');
      assert.equal(users.status, 200);
      assert.equal(remaining(users), start - 80, 'users/find costs 40');
      assert.equal((await api.get('/api/v2/persons/search?term=ab')).status, 200);
      const overWindow = await api.get('/api/v2/itemSearch?term=cd');
      assert.equal(overWindow.status, 429, 'the fourth search in 2 s is over the search window of 3, which persons/search shares');
      assert.equal(remaining(overWindow), start - 100, 'a refused request spends nothing');
    });

    it('accepts search:read for item search and users:read for users/find, and refuses other scopes', async () => {
      const { token } = await newTenant(server);
      const search = await oauthHeaders(server, token, 'search:read');
      const contacts = await oauthHeaders(server, token, 'contacts:full,deals:full');
      const users = await oauthHeaders(server, token, 'users:read');
      const as = (headers: Record<string, string>, path: string) => new Api(server.url, undefined).get(path, headers);
      for (const path of ['/api/v2/itemSearch?term=ab', '/api/v2/itemSearch/field?term=ab&entity_type=deal&field=title']) {
        assert.equal((await as(search, path)).status, 200, path);
        const refused = await as(contacts, path);
        assert.equal(refused.status, 403, path);
        assert.equal(refused.body.error, 'Scope and URL mismatch');
        await new Promise((resolve) => setTimeout(resolve, 2100));
      }
      assert.equal((await as(users, '/v1/users/find?term=a')).status, 200);
      assert.equal((await as(search, '/v1/users/find?term=a')).status, 403);
    });
  });
}
