import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { WEBHOOK_DEFAULTS } from '../../src/domain/webhooks/webhook-delivery-settings.ts';
import { type Config, parseDatabaseUrl } from '../../src/app/config.ts';
import { type FuzzOperation, closeAgent, fuzzOperations } from '../helpers/fuzz-requests.ts';
import { dataFingerprint, seededTenant } from '../helpers/fuzz-tenant.ts';
import { type WalkResult, walkOperations } from '../helpers/fuzz-walk.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { type TestServer, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * Walks every operation of personsd's own /openapi.json with seeded, schema-driven hostile requests (README,
 * "Reliability"). FUZZ_SEED picks another sequence, FUZZ_RUNS the requests per operation; the default run is short.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 22_2025);
// PostgreSQL answers the same code three times slower here; the default walk there is shorter to keep the suite fast.
const runs = (backend: 'sqlite' | 'postgres') => Number(process.env.FUZZ_RUNS ?? (backend === 'sqlite' ? 5 : 2));
const ADMIN_TOKEN = 'fuzz-admin-token-0123456789';

const settings: Partial<Config> = {
  // Every refused token would count towards the per-address throttle and turn later requests into 429s.
  access: { ...DEFAULT_ACCESS, authFailuresPerMinute: 0 },
  // A generated webhook could name a reachable URL; nothing is sent, the outbox still fills.
  webhooks: { ...WEBHOOK_DEFAULTS, dispatcher: false },
};

/** A success that may have removed the records the tenant's known ids name. */
const destructive = (op: FuzzOperation) => op.method === 'DELETE' || op.path.includes('/merge') || op.path.includes('/unmerge');

function report(t: { diagnostic(message: string): void }, result: WalkResult, operations: number): void {
  t.diagnostic(`${result.requests} requests over ${operations} operations in ${result.seconds.toFixed(1)} s, seed ${SEED}; statuses ${JSON.stringify(result.statuses)}`);
  if (result.failures.length > 0) assert.fail(`${result.failures.length} operations answered wrongly:\n\n${result.failures.join('\n\n')}`);
  assert.ok(Object.keys(result.statuses).some((s) => Number(s) >= 200 && Number(s) < 300), 'some requests succeed');
  assert.ok(Object.keys(result.statuses).some((s) => Number(s) === 400), 'some requests are refused as invalid');
}

for (const backend of testBackends()) {
  describe(`hostile requests at every operation of /openapi.json [${backend.name}]`, () => {
    let server: TestServer;
    let ops: FuzzOperation[];

    before(async () => {
      server = await startTestServer(backend, settings);
      // The admin API is off here (no PERSONSD_ADMIN_TOKEN), so /openapi.json lists none of it.
      ops = await fuzzOperations(server.url);
    });
    after(async () => {
      closeAgent();
      await server.close();
    });

    it('has a data fingerprint that sees a write and not a read', async () => {
      const { tenant, hints } = await seededTenant(server);
      const before = await dataFingerprint(server, tenant.companyId);
      assert.equal((await tenant.api.get('/api/v2/persons')).status, 200);
      assert.equal(await dataFingerprint(server, tenant.companyId), before);
      const id = (hints['person_id'] as number[])[0];
      assert.equal((await tenant.api.patch(`/api/v2/persons/${id}`, { job_title: 'Changed' })).status, 200);
      assert.notEqual(await dataFingerprint(server, tenant.companyId), before);
    });

    it('answers every request below 500, refuses in the envelope, and a refused request changes no data', async (t) => {
      // v1 is documented once, under /api/v1 (the /v1 prefix serves the same handlers).
      assert.ok(ops.length >= 70, `only ${ops.length} operations in /openapi.json`);
      assert.ok(!ops.some((op) => op.path.startsWith('/_personsd')), 'no admin routes without the admin token');
      const result = await walkOperations(server, ops, { seed: SEED, runs: runs(backend.name), headers: ({ tenant }) => ({ 'x-api-token': tenant.token }), destructive });
      report(t, result, ops.length);
    });

    it('still answers afterwards', async () => {
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      const { tenant } = await seededTenant(server);
      const persons = await tenant.api.get('/api/v2/persons');
      assert.equal(persons.status, 200);
      assert.equal(persons.body.data.length, 2);
    });
  });
}

// The admin API resets and restores the whole database and deletes companies by id: only on a database of its own.
for (const backend of testBackends()) describe(`hostile requests at the admin API with its token configured [${backend.name}]`, () => {
  let server: TestServer;
  let database: IsolatedDatabase;
  let ops: FuzzOperation[];
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(server.url + path, { method, headers: { 'x-personsd-admin-token': ADMIN_TOKEN, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  before(async () => {
    database = await isolatedDatabase(backend);
    server = await startTestServer(backend, { ...settings, database: parseDatabaseUrl(database.url, 3), admin: { token: ADMIN_TOKEN, journalSize: 100 } });
    ops = await fuzzOperations(server.url, (path) => !path.startsWith('/_personsd'));
  });
  after(async () => {
    closeAgent();
    await server.close();
    await database.drop();
  });

  it('answers every admin request below 500, refuses in the envelope, and a refused request changes no data', async (t) => {
    assert.ok(ops.length >= 20, `only ${ops.length} admin operations in /openapi.json`);
    const result = await walkOperations(server, ops, {
      seed: SEED,
      runs: runs(backend.name),
      headers: ({ tenant }) => ({ 'x-api-token': tenant.token, 'x-personsd-admin-token': ADMIN_TOKEN }),
      extraHints: async ({ tenant }) => {
        const sink = (await (await admin('POST', '/_personsd/sinks')).json()) as any;
        const name = `fuzz-${tenant.companyId}`;
        assert.equal((await admin('POST', '/_personsd/snapshots', { name })).status, 201);
        return { 'path:/companies:id': [tenant.companyId], 'path:/sinks:id': [sink.data.id], 'path:/snapshots:name': [name] };
      },
      // Admin writes reset, restore and delete what the tenant's ids name.
      destructive: (op) => op.method !== 'GET',
      // A generated fault rule or frozen clock would change how every later request is answered.
      afterEach: async () => {
        await admin('DELETE', '/_personsd/faults');
        await admin('DELETE', '/_personsd/clock');
      },
    });
    report(t, result, ops.length);
  });
});
