import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type RouteOp, apiOperations, fillPath, routeName } from '../helpers/access-matrix.ts';
import { sql } from 'kysely';
import { COMPANY_DATA_TABLES, COMPANY_SEARCH_TABLES } from '../../src/store/repositories/company-data.repository.ts';
import { type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const RUNS_PER_ROUTE = Number(process.env.PERSONSD_FUZZ_RUNS ?? 10);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  undefined,
] as const;

/** The property names a route's JSON body schema documents, so random bodies often reach the service. */
async function bodyProperties(server: TestServer): Promise<Map<string, string[]>> {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
  const names = new Map<string, string[]>();
  for (const [path, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, operation] of Object.entries<any>(methods)) {
      const schema = operation?.requestBody?.content?.['application/json']?.schema;
      const items = schema?.type === 'array' ? schema.items : schema;
      // Keyed as the route list names them: v1 under /v1 (the document lists it under /api/v1).
      names.set(`${method.toUpperCase()} ${path.replace(/^\/api\/v1\//, '/v1/')}`, Object.keys(items?.properties ?? {}));
    }
  }
  return names;
}

/**
 * Every row the tenant owns, read straight from the store: a failed write must leave every table as it was. Reading
 * the tables (not the API's listings) covers every entity, history and follower table included, at a fraction of
 * the cost of a round of GETs after each request.
 */
const TENANT_TABLES = [...COMPANY_DATA_TABLES, ...COMPANY_SEARCH_TABLES, 'visibility_group_members', 'visibility_groups', 'api_tokens', 'users'] as const;

async function snapshot(server: TestServer, tenant: Tenant): Promise<string> {
  const tables = await Promise.all(
    TENANT_TABLES.map(async (table) => {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where company_id = ${tenant.companyId}`.execute(server.store.db);
      return `${table}: ${rows.map((row) => JSON.stringify(row)).sort().join('\n')}`;
    }),
  );
  const company = await sql`select * from companies where id = ${tenant.companyId}`.execute(server.store.db);
  return [...tables, JSON.stringify(company.rows)].join('\n');
}

for (const backend of testBackends()) {
  describe(`random writes never fail with 500 nor half-apply [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    let seeded: Record<string, number | string>;
    let properties: Map<string, string[]>;
    let writeOps: RouteOp[];

    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Fuzz target', emails: [{ value: 'f@example.com' }] })).body.data.id;
      const other = (await tenant.api.post('/api/v2/persons', { name: 'Other' })).body.data.id;
      const field = (await tenant.api.post('/v1/personFields', { name: 'Fuzz field', field_type: 'enum', options: [{ label: 'a' }] })).body.data;
      await tenant.api.post(`/api/v2/persons/${person}/followers`, { user_id: tenant.userId });
      seeded = { person, other, field_id: field.id, field_code: field.key, user: tenant.userId };
      // What a company gets on first use (system fields of each entity, activity types) is made now, so any change
      // a refused write makes is its own.
      for (const path of ['/v1/organizationFields', '/v1/dealFields', '/v1/activityTypes', '/api/v2/pipelines', '/api/v2/stages', '/v1/activities?user_id=0']) {
        assert.equal((await tenant.api.get(path)).status, 200, path);
      }
      properties = await bodyProperties(server);
      // Webhook routes are left out: a random body that happened to register a reachable URL would send events off this machine.
      writeOps = (await apiOperations(server)).filter((op) => op.method !== 'GET' && !op.path.includes('/webhooks'));
    });
    after(() => server.close());

    it('answers every random body, content type and path parameter below 500, and a refused write changes nothing', async () => {
      assert.ok(writeOps.length >= 15, `only ${writeOps.length} write routes found`);
      let state = await snapshot(server, tenant);
      assert.match(state, /Fuzz target/, 'the snapshot holds the tenant\'s rows');
      assert.match(state, /Fuzz field/);
      const statuses = new Map<number, number>();
      for (const op of writeOps) {
        const keys = properties.get(routeName(op)) ?? [];
        const id = fc.oneof(
          fc.constantFrom(seeded.person, seeded.other, seeded.field_id, seeded.user),
          fc.integer({ min: -3, max: 2 ** 40 }),
          fc.string({ maxLength: 6 }),
        );
        // Mostly JSON, so most bodies get past the parser to validation and the services.
        const contentType = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 5 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 3 });
        const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(seeded.person, seeded.other, seeded.user, 'f@example.com', true, null));
        const body = fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          (keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }) : fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: 3 })).map((v) =>
            JSON.stringify(v),
          ),
          fc.array(fc.dictionary(fc.constantFrom('id', 'label', ...keys), value, { maxKeys: 2 }), { maxLength: 2 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 30 }),
          fc.constant(undefined),
        );
        await fc.assert(
          fc.asyncProperty(fc.record({ id, other: id, body, contentType }), async (input) => {
            const path = fillPath(op.path, {
              id: encodeURIComponent(String(input.id)),
              follower_id: encodeURIComponent(String(input.other)),
              field_code: typeof input.id === 'number' && input.id === seeded.field_id ? String(seeded.field_code) : encodeURIComponent(String(input.id)),
            });
            const headers: Record<string, string> = { 'x-api-token': tenant.token };
            if (input.contentType !== undefined && input.body !== undefined) headers['content-type'] = input.contentType;
            const res = await fetch(server.url + path, { method: op.method, headers, body: input.body });
            const text = await res.text();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            assert.ok(res.status < 500, `${op.method} ${path} (${input.contentType}) ${input.body} → ${res.status} ${text}`);
            const after = await snapshot(server, tenant);
            if (res.status >= 400) assert.equal(after, state, `${op.method} ${path} answered ${res.status} but changed data: ${input.body}`);
            state = after;
          }),
          // One known-good write, so the run always includes a success (and the snapshot after it).
          { numRuns: RUNS_PER_ROUTE, examples: op.method === 'POST' && op.path === '/api/v2/persons' ? [[{ id: 1, other: 1, body: '{"name":"Example"}', contentType: 'application/json' }]] : [] },
        );
      }
      assert.ok([...statuses.keys()].some((s) => s >= 200 && s < 300), `some random writes succeed: ${JSON.stringify([...statuses])}`);
    });
  });
}
