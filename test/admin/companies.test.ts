import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { WEBHOOK_DEFAULTS } from '../../src/domain/webhooks/webhook-delivery-settings.ts';
import { COMPANY_ACCESS_TABLES, COMPANY_DATA_TABLES, COMPANY_SEARCH_TABLES } from '../../src/store/repositories/company-data.repository.ts';
import { Api, type TestServer, startTestServer, testBackends } from '../helpers/server.ts';
import { adminClient, adminTenant, startAdminServer } from './admin-server.ts';

/** Fills a company with one of everything its API can make, so a reset has something in every table. */
async function populate(api: Api, userId: number): Promise<void> {
  const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
  await api.post('/api/v2/personFields', { field_name: 'Tier', field_type: 'enum', options: [{ label: 'Gold' }] });
  await api.post('/v1/webhooks', { subscription_url: 'https://hooks.example.com/in', event_action: '*', event_object: '*' });
  const ada = (await api.post('/api/v2/persons', { name: 'Ada', org_id: org, emails: [{ value: 'ada@example.com' }], phones: [{ value: '+14155550100' }] })).body.data.id;
  const twin = (await api.post('/api/v2/persons', { name: 'Ada L', emails: [{ value: 'ada.l@example.com' }] })).body.data.id;
  await api.patch(`/api/v2/persons/${ada}`, { name: 'Ada Lovelace' });
  await api.post(`/api/v2/persons/${ada}/followers`, { user_id: userId });
  await api.post('/api/v2/deals', { title: 'Engine', person_id: ada, org_id: org });
  const pipeline = (await api.post('/api/v2/pipelines', { name: 'Second' })).body.data.id;
  await api.post('/api/v2/stages', { name: 'Only', pipeline_id: pipeline });
  await api.post('/v1/activityTypes', { name: 'Demo', icon_key: 'presentation' });
  await api.post('/api/v2/activities', { subject: 'Demo the engine', type: 'demo', person_id: twin, org_id: org });
  const merged = await api.put(`/v1/persons/${twin}/merge`, { merge_with_id: ada });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
}

async function companyTables(server: TestServer): Promise<string[]> {
  const tables = await server.store.db.introspection.getTables();
  return tables.filter((t) => t.columns.some((c) => c.name === 'company_id')).map((t) => t.name).sort();
}

async function rowsOf(server: TestServer, table: string, companyId: number): Promise<number> {
  const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where company_id = ${companyId}`.execute(server.store.db);
  return Number(result.rows[0].n);
}

const fieldShape = (body: any) => body.data.map((f: any) => ({ key: f.field_code, name: f.field_name, type: f.field_type, options: f.options?.map((o: any) => o.label) }));

for (const backend of testBackends()) {
  describe(`admin API: companies [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    // No dispatcher: deliveries would otherwise add rows while the test compares counts.
    before(async () => ({ server, admin } = await startAdminServer(backend, { webhooks: { ...WEBHOOK_DEFAULTS, dispatcher: false } })));
    after(() => server.close());

    it('creates a company whose token works and sees nothing of other companies', async () => {
      const a = await adminTenant(server, admin);
      const b = await adminTenant(server, admin);
      assert.notEqual(a.companyId, b.companyId);
      await a.api.post('/api/v2/persons', { name: 'Only in A' });
      const listed = await b.api.get('/api/v2/persons');
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.data, []);
      const me = await a.api.get('/v1/users/me');
      assert.equal(me.body.data.company_id, a.companyId);
      assert.equal(me.body.data.id, a.userId);
    });

    it('refuses requests without the admin token or with a wrong one', async () => {
      for (const api of [new Api(server.url, undefined), adminClient(server.url, 'wrong-token')]) {
        const response = await api.post('/_personsd/companies', {});
        assert.equal(response.status, 401);
        assert.equal(response.body.success, false);
      }
    });

    it("a company's reset empties every table of its data, keeps its users and tokens, and leaves other companies untouched", async () => {
      const target = await adminTenant(server, admin);
      const other = await adminTenant(server, admin);
      const fresh = await adminTenant(server, admin);
      await populate(target.api, target.userId);
      await populate(other.api, other.userId);
      const otherBefore = await Promise.all((await companyTables(server)).map((t) => rowsOf(server, t, other.companyId)));

      const reset = await admin.post(`/_personsd/companies/${target.companyId}/reset`);
      assert.equal(reset.status, 200);

      // Put back as a new company has them: fields, activity types and the default pipeline.
      const kept = new Set<string>([...COMPANY_ACCESS_TABLES, 'person_fields', 'person_field_options', 'activity_types', 'pipelines', 'stages']);
      for (const table of await companyTables(server)) {
        if (!kept.has(table)) assert.equal(await rowsOf(server, table, target.companyId), 0, `${table} still holds rows of the reset company`);
      }
      assert.deepEqual(fieldShape((await target.api.get('/api/v2/personFields')).body), fieldShape((await fresh.api.get('/api/v2/personFields')).body));
      const stageNames = async (api: typeof target.api) => (await api.get('/api/v2/stages?sort_by=order_nr')).body.data.map((s: { name: string }) => s.name);
      assert.deepEqual(await stageNames(fresh.api), ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started'], 'a company made by the admin API starts with the default pipeline');
      assert.deepEqual(await stageNames(target.api), await stageNames(fresh.api), 'the default pipeline is back');
      assert.equal((await target.api.get('/api/v2/pipelines')).body.data.length, 1);
      const typeShape = (body: any) => body.data.map((t: any) => [t.key_string, t.name, t.active_flag, t.is_custom_flag]);
      assert.deepEqual(typeShape((await target.api.get('/v1/activityTypes')).body), typeShape((await fresh.api.get('/v1/activityTypes')).body));
      assert.deepEqual((await target.api.get('/api/v2/activities')).body.data, []);
      assert.deepEqual((await target.api.get('/api/v2/persons')).body.data, []);
      assert.deepEqual((await target.api.get('/api/v2/persons/search?term=Ada')).body.data.items, []);
      assert.equal((await target.api.get('/v1/users/me')).body.data.id, target.userId, 'the token still works');

      const otherAfter = await Promise.all((await companyTables(server)).map((t) => rowsOf(server, t, other.companyId)));
      assert.deepEqual(otherAfter, otherBefore);
      assert.equal((await other.api.get('/api/v2/persons/search?term=Ada')).body.data.items.length, 1);
    });

    it('knows every table that carries company_id (a new one must be added to the reset)', async () => {
      // Derived rows go with their source: the terms with the search rows, SQLite's person_docs (migration 030) with the
      // persons, by trigger; the reset and delete tests above count them too.
      const derived = ['person_terms', 'organization_terms', 'deal_terms', 'person_docs'];
      const covered = new Set<string>([...COMPANY_DATA_TABLES, ...COMPANY_SEARCH_TABLES, ...COMPANY_ACCESS_TABLES, ...derived]);
      const missing = (await companyTables(server)).filter((t) => !covered.has(t));
      assert.deepEqual(missing, []);
    });

    it('deletes a company: its token stops working, other companies stay', async () => {
      const gone = await adminTenant(server, admin);
      const stays = await adminTenant(server, admin);
      await populate(gone.api, gone.userId);
      assert.equal((await admin.delete(`/_personsd/companies/${gone.companyId}`)).status, 200);
      assert.equal((await gone.api.get('/api/v2/persons')).status, 401);
      for (const table of await companyTables(server)) assert.equal(await rowsOf(server, table, gone.companyId), 0, table);
      assert.equal((await stays.api.get('/api/v2/persons')).status, 200);
      assert.equal((await admin.delete(`/_personsd/companies/${gone.companyId}`)).status, 404);
      assert.equal((await admin.post(`/_personsd/companies/${gone.companyId}/reset`)).status, 404);
    });

    it('lists the admin routes in the OpenAPI document under their own tag', async () => {
      const doc = (await new Api(server.url, undefined).get('/openapi.json')).body;
      const operation = doc.paths['/_personsd/companies'].post;
      assert.deepEqual(operation.tags, ['personsd admin']);
      assert.deepEqual(doc.paths['/_personsd/companies/{id}/reset'].post.tags, ['personsd admin']);
    });
  });

  describe(`admin API off [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(backend)));
    after(() => server.close());

    it('answers every /_personsd path 404, as an unknown route, whatever the headers', async () => {
      const api = adminClient(server.url);
      for (const [method, path] of [
        ['POST', '/_personsd/companies'],
        ['POST', '/_personsd/reset'],
        ['POST', '/_personsd/companies/1/reset'],
        ['GET', '/_personsd/requests'],
        ['POST', '/_personsd/faults'],
        ['POST', '/_personsd/sinks'],
        ['POST', '/_personsd/sinks/abc/receive'],
        ['GET', '/_personsd'],
      ]) {
        const response = await api.request(method, path, method === 'POST' ? {} : undefined);
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.match(response.body.error, /^Unknown route/);
      }
      const doc = (await api.get('/openapi.json')).body;
      assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/_personsd')), []);
    });
  });
}
