import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v2 } from 'pipedrive';
import { seededRandom } from '../../src/domain/testing/faults.ts';
import { type Api, type TestServer, testBackends } from '../helpers/server.ts';
import { adminTenant, startAdminServer } from './admin-server.ts';

for (const backend of testBackends()) {
  describe(`admin API: faults [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    before(async () => ({ server, admin } = await startAdminServer(backend)));
    after(() => server.close());
    const clear = async () => assert.equal((await admin.delete('/_personsd/faults')).status, 200);

    it('a 429 fault makes the official client surface a 429 with the rate-limit headers, then the real answer returns', async () => {
      await clear();
      const tenant = await adminTenant(server, admin);
      const persons = new v2.PersonsApi(new v2.Configuration({ apiKey: tenant.token, basePath: `${server.url}/api/v2` }));
      await admin.post('/_personsd/faults', { method: 'GET', path: '/api/v2/persons', status: 429, times: 1 });
      let caught: any;
      try {
        await persons.getPersons();
      } catch (error) {
        caught = error;
      }
      assert.ok(caught, 'the client call should have failed');
      assert.equal(caught.success, false);
      assert.equal(caught.error, 'Request over limit');
      const raw = await tenant.api.get('/api/v2/persons');
      assert.equal(raw.status, 200, 'times: 1 fires once');
      await admin.post('/_personsd/faults', { path: '/api/v2/persons*', status: 429 });
      const limited = await tenant.api.get('/api/v2/persons?limit=1');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
      assert.ok(limited.headers.get('x-ratelimit-limit'));
      assert.ok(limited.headers.get('x-ratelimit-reset'));
      assert.equal(limited.headers.get('retry-after'), '2');
      const listed = (await admin.get('/_personsd/faults')).body.data;
      assert.deepEqual(listed.map((r: any) => r.fired), [1, 1]);
    });

    it('answers a status fault with the given body, matching method and wildcard path only', async () => {
      await clear();
      const tenant = await adminTenant(server, admin);
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Ada' })).body.data.id;
      await admin.post('/_personsd/faults', { method: 'PATCH', path: '/api/v2/persons/*', status: 503, body: { success: false, error: 'down for maintenance' } });
      const patched = await tenant.api.patch(`/api/v2/persons/${person}`, { name: 'Ada L' });
      assert.equal(patched.status, 503);
      assert.deepEqual(patched.body, { success: false, error: 'down for maintenance' });
      assert.equal((await tenant.api.get(`/api/v2/persons/${person}`)).body.data.name, 'Ada', 'the write did not happen; GET is not faulted');
      assert.equal((await tenant.api.patch('/api/v2/organizations/1', { name: 'x' })).status !== 503, true);
    });

    it('a seeded probability hits the same requests on every run', async () => {
      const tenant = await adminTenant(server, admin);
      const pattern = async () => {
        await clear();
        await admin.post('/_personsd/faults', { path: '/api/v2/persons', status: 500, probability: 0.5, seed: 42 });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await tenant.api.get('/api/v2/persons')).status);
        return statuses;
      };
      const first = await pattern();
      assert.deepEqual(await pattern(), first);
      assert.ok(first.includes(500) && first.includes(200), `a mix of hits and misses: ${first}`);
      const random = seededRandom(42);
      assert.deepEqual(first, first.map(() => (random() < 0.5 ? 500 : 200)), 'exactly the draws of the seeded generator');
    });

    it('a latency fault delays the real answer', async () => {
      await clear();
      const tenant = await adminTenant(server, admin);
      await admin.post('/_personsd/faults', { path: '/api/v2/persons', latency: { distribution: 'fixed', ms: 300 } });
      const started = process.hrtime.bigint();
      const response = await tenant.api.get('/api/v2/persons');
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(response.status, 200);
      assert.ok(elapsedMs >= 290, `delayed by at least the fixed latency (took ${elapsedMs} ms)`);
    });

    for (const kind of ['reset', 'empty', 'truncated'] as const) {
      it(`a ${kind} connection fault gives the client no complete answer`, async () => {
        await clear();
        const tenant = await adminTenant(server, admin);
        await admin.post('/_personsd/faults', { path: '/api/v2/persons', kind, times: 1 });
        await assert.rejects(async () => {
          const response = await fetch(`${server.url}/api/v2/persons`, { headers: { 'x-api-token': tenant.token } });
          await response.text();
        });
        assert.equal((await tenant.api.get('/api/v2/persons')).status, 200);
      });
    }

    it('refuses a rule without an effect, and clears every rule', async () => {
      assert.equal((await admin.post('/_personsd/faults', { path: '/api/v2/persons' })).status, 400);
      assert.equal((await admin.post('/_personsd/faults', { path: '/x', status: 42 })).status, 400);
      await admin.post('/_personsd/faults', { path: '/api/v2/persons', status: 500 });
      await clear();
      assert.deepEqual((await admin.get('/_personsd/faults')).body.data, []);
    });
  });
}
