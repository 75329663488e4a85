import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assignVisibilityGroup, createVisibilityGroup } from '../../src/domain/access/visibility.ts';
import { Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const USER_KEYS = [
  'id', 'name', 'default_currency', 'locale', 'lang', 'email', 'phone', 'activated', 'last_login', 'created', 'modified',
  'has_created_company', 'access', 'active_flag', 'timezone_name', 'timezone_offset', 'role_id', 'icon_url', 'is_admin',
  'is_you', 'is_deleted',
];
const COMPANY_KEYS = ['company_id', 'company_name', 'company_domain', 'company_country', 'company_industry', 'language'];
const V1_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

for (const backend of testBackends()) {
  describe(`v1 users [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('GET /v1/users lists the company\'s users in the v1 shape', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const res = await tenant.api.get('/v1/users');
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.deepEqual(res.body.data.map((u: { id: number }) => u.id), [tenant.userId, colleague.userId]);
      const [me, other] = res.body.data;
      assert.deepEqual(Object.keys(me).sort(), USER_KEYS.slice().sort());
      assert.equal(me.is_you, true);
      assert.equal(other.is_you, false);
      assert.equal(me.is_admin, 1);
      assert.equal(other.is_admin, 0);
      assert.equal(me.active_flag, true);
      assert.equal(me.is_deleted, false);
      assert.match(me.created, V1_TIME);
      assert.match(me.modified, V1_TIME);
      assert.deepEqual(me.access, [{ app: 'sales', admin: true, permission_set_id: 'admin' }]);
    });

    it('GET /v1/users/{id} answers a user, and Pipedrive\'s 404 body for an unknown one', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const res = await tenant.api.get(`/v1/users/${colleague.userId}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.data.id, colleague.userId);
      assert.equal(res.body.data.is_you, false);
      const seenByColleague = await colleague.api.get(`/api/v1/users/${colleague.userId}`);
      assert.equal(seenByColleague.body.data.is_you, true);
      const missing = await tenant.api.get('/v1/users/999999999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.success, false);
      assert.equal(missing.body.error, 'User not found or not accessible.');
      assert.equal((await tenant.api.get('/v1/users/abc')).status, 400);
    });

    it('GET /v1/users/me answers the caller with the company', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const me = await colleague.api.get('/v1/users/me');
      assert.equal(me.status, 200);
      assert.deepEqual(Object.keys(me.body.data).sort(), [...USER_KEYS, ...COMPANY_KEYS].sort());
      assert.equal(me.body.data.id, colleague.userId);
      assert.equal(me.body.data.is_you, true);
      assert.equal(me.body.data.company_id, tenant.companyId);
      assert.equal(typeof me.body.data.company_name, 'string');
      assert.deepEqual(me.body.data.language, { language_code: 'en', country_code: 'US' });
    });

    it('GET /v1/users/find finds the company\'s users by part of the name, or of the email with search_by_email', async () => {
      const tenant = await newTenant(server);
      const add = async (name: string, email: string) => (await tenant.api.post('/v1/users', { name, email })).body.data.id as number;
      const jose = await add('José Müller', `jose-${tenant.companyId}@sales.example`);
      const joanna = await add('Joanna Smith', `jo-${tenant.companyId}@support.example`);
      const bob = await add('Bob Joseph', `bob-${tenant.companyId}@sales.example`);
      const other = await newTenant(server);
      await other.api.post('/v1/users', { name: 'Josephine Other', email: `josephine-${other.companyId}@sales.example` });

      const find = async (query: string) => {
        const res = await tenant.api.get(`/v1/users/find?${query}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.success, true);
        return res.body.data as Array<{ id: number; name: string; is_you: boolean }>;
      };
      const found = await find('term=jos');
      assert.deepEqual(found.map((u) => u.id), [jose, bob], 'in id order; never another company\'s user');
      assert.deepEqual(Object.keys(found[0]).sort(), USER_KEYS.slice().sort());
      assert.equal(found[0].name, 'José Müller');
      assert.deepEqual((await find('term=MULLER')).map((u) => u.id), [jose], 'case and accents do not matter');
      assert.deepEqual((await find('term=sales.example')).map((u) => u.id), [], 'names only by default');
      assert.deepEqual((await find('term=sales.example&search_by_email=1')).map((u) => u.id), [jose, bob]);
      assert.deepEqual((await find('term=Smith&search_by_email=1')).map((u) => u.id), [], 'emails only with search_by_email');
      assert.deepEqual((await find('term=jo&search_by_email=0')).map((u) => u.id), [jose, joanna, bob]);
      assert.deepEqual(await find('term=nobody'), []);
      const me = await find('term=Test%20Admin');
      assert.deepEqual(me.map((u) => [u.id, u.is_you]), [[tenant.userId, true]]);

      for (const [query, message] of [
        ['', /term is required/],
        ['term=%20', /term must not be empty/],
        ['term=jo&search_by_email=2', /search_by_email must be one of/],
      ] as const) {
        const res = await tenant.api.get(`/v1/users/find?${query}`);
        assert.equal(res.status, 400, query);
        assert.match(res.body.error, message, query);
      }
    });

    it('POST /v1/users adds a user for admins only', async () => {
      const tenant = await newTenant(server);
      const regular = await tenant.addUser();
      const email = `new-${Date.now()}@example.com`;

      const refused = await regular.api.post('/v1/users', { name: 'Nope', email });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.success, false);

      const added = await tenant.api.post('/v1/users', { name: 'New Hire', email: email.toUpperCase(), default_currency: 'EUR' });
      assert.equal(added.status, 200);
      assert.equal(added.body.success, true);
      const user = added.body.data;
      assert.equal(user.name, 'New Hire');
      assert.equal(user.email, email);
      assert.equal(user.default_currency, 'EUR');
      assert.equal(user.is_admin, 0);
      assert.equal(user.active_flag, true);

      const listed = await tenant.api.get('/v1/users');
      assert.ok(listed.body.data.some((u: { id: number }) => u.id === user.id));
      const owned = await tenant.api.post('/api/v2/persons', { name: 'Owned', owner_id: user.id });
      assert.equal(owned.status, 200, 'the new user can own persons');

      const duplicate = await tenant.api.post('/v1/users', { name: 'Again', email });
      assert.equal(duplicate.status, 400);
      assert.match(duplicate.body.error, /already exists/);

      // The same email may exist in another company.
      const other = await newTenant(server);
      assert.equal((await other.api.post('/v1/users', { name: 'Elsewhere', email })).status, 200);
    });

    it('POST /v1/users accepts Pipedrive\'s body: email, access and active_flag', async () => {
      const tenant = await newTenant(server);
      const admin = await tenant.api.post('/v1/users', {
        email: `boss-${Date.now()}@example.com`,
        access: [{ app: 'sales' }, { app: 'global', admin: true }],
      });
      assert.equal(admin.status, 200);
      assert.equal(admin.body.data.is_admin, 1);
      assert.match(admin.body.data.name, /^boss-\d+$/);
      const inactive = await tenant.api.post('/v1/users', { email: `idle-${Date.now()}@example.com`, active_flag: false });
      assert.equal(inactive.body.data.active_flag, false);
      assert.equal(inactive.body.data.is_admin, 0);
    });

    it('POST /v1/users validates its body', async () => {
      const { api } = await newTenant(server);
      const cases: [unknown, RegExp][] = [
        [{ name: 'X' }, /email is required/],
        [{ name: 'X', email: 'not-an-email' }, /email/],
        [{ name: 'X', email: 'x@example.com', is_admin: 'yes' }, /is_admin must be a boolean/],
        [{ name: 'X', email: 'x@example.com', role: 'boss' }, /unknown body property "role"/],
        [{ name: 'X', email: 'x@example.com', default_currency: 'euro' }, /default_currency/],
        [{ name: ' ', email: 'x@example.com' }, /name/],
        [{ email: 'x@example.com', access: [{ app: 'everything' }] }, /access\[0\]\.app/],
      ];
      for (const [body, message] of cases) {
        const res = await api.post('/v1/users', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, message);
      }
      assert.equal((await api.get('/v1/users')).body.data.length, 1, 'nothing was added');
    });

    it('a deactivated user\'s token stops working', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      assert.equal((await colleague.api.get('/v1/users/me')).status, 200);
      await server.store.db.updateTable('users').set({ active_flag: 0 }).where('id', '=', colleague.userId).execute();
      const res = await new Api(server.url, colleague.token).get('/v1/users/me');
      assert.equal(res.status, 401);
    });

    it('PUT /v1/users/{id} (de)activates users for admins only; followers, permissions, roles and settings answer what personsd models', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const other = await newTenant(server);
      const off = await tenant.api.put(`/v1/users/${colleague.userId}`, { active_flag: false });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(off.body.data.active_flag, false);
      assert.equal((await new Api(server.url, colleague.token).get('/v1/users/me')).status, 401, 'the deactivated token stops at once');
      const on = await tenant.api.put(`/v1/users/${colleague.userId}`, { active_flag: true });
      assert.equal(on.body.data.active_flag, true);
      assert.equal((await colleague.api.get('/v1/users/me')).status, 200);
      const refusals: [Api, number, unknown, number][] = [
        [colleague.api, tenant.userId, { active_flag: false }, 403],
        [tenant.api, tenant.userId, { active_flag: false }, 400],
        [tenant.api, other.userId, { active_flag: false }, 404],
        [tenant.api, colleague.userId, { active_flag: 'no' }, 400],
        [tenant.api, colleague.userId, { name: 'Renamed' }, 400],
      ];
      for (const [api, id, body, status] of refusals) {
        assert.equal((await api.put(`/v1/users/${id}`, body)).status, status, `${id} ${JSON.stringify(body)}`);
      }
      assert.equal((await tenant.api.get('/v1/users/me')).status, 200, 'nobody locked themselves out');

      assert.deepEqual((await tenant.api.get(`/v1/users/${colleague.userId}/followers`)).body, { success: true, data: [] });
      const v2 = await tenant.api.get(`/api/v2/users/${colleague.userId}/followers`);
      assert.deepEqual(v2.body, { success: true, data: [], additional_data: { next_cursor: null } });
      const admin = (await tenant.api.get(`/v1/users/${tenant.userId}/permissions`)).body.data;
      const regular = (await tenant.api.get(`/v1/users/${colleague.userId}/permissions`)).body.data;
      assert.equal(Object.keys(admin).length, 31);
      assert.deepEqual([admin.can_add_custom_fields, regular.can_add_custom_fields, regular.can_use_api, regular.can_add_products], [true, false, true, false]);

      assert.deepEqual((await tenant.api.get(`/v1/users/${colleague.userId}/roleAssignments`)).body.data, [], 'in no group, no role');
      const db = server.store.db;
      const parent = await createVisibilityGroup(db, tenant.companyId, 'Sales', null);
      const team = await createVisibilityGroup(db, tenant.companyId, 'Team <b>North</b>', parent);
      await assignVisibilityGroup(db, tenant.companyId, colleague.userId, team);
      const roles = await tenant.api.get(`/v1/users/${colleague.userId}/roleAssignments`);
      assert.deepEqual(roles.body.data, [{ user_id: colleague.userId, role_id: team, parent_role_id: parent, name: 'Team <b>North</b>', active_flag: true, type: '1' }]);
      assert.deepEqual(roles.body.additional_data.pagination, { start: 0, limit: 100, more_items_in_collection: false });
      const settings = (await tenant.api.get(`/v1/users/${colleague.userId}/roleSettings`)).body.data;
      assert.deepEqual(settings, { deal_default_visibility: 3, org_default_visibility: 3, person_default_visibility: 3 });
      for (const path of ['followers', 'permissions', 'roleAssignments', 'roleSettings']) {
        assert.equal((await tenant.api.get(`/v1/users/${other.userId}/${path}`)).status, 404, `another company's user: ${path}`);
        assert.equal((await tenant.api.get(`/v1/users/987654321/${path}`)).status, 404);
      }
      assert.equal((await tenant.api.get(`/api/v2/users/${other.userId}/followers`)).status, 404);
    });
  });
}
