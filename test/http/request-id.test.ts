import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function capture() {
  const lines: string[] = [];
  return { stream: { write: (line: string) => void lines.push(line) }, entries: () => lines.map((line) => JSON.parse(line)) };
}

/** The log lines of one request, once its last one ("request completed", written after the response) is there. */
async function linesOf(log: ReturnType<typeof capture>, id: string) {
  for (;;) {
    const lines = log.entries().filter((entry) => entry.reqId === id);
    if (lines.some((entry) => entry.msg === 'request completed')) return lines;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

for (const backend of testBackends()) {
  describe(`x-request-id [${backend.name}]`, () => {
    const log = capture();
    const proxiedLog = capture();
    let server: TestServer;
    let proxied: TestServer;
    let tenant: Tenant;
    before(async () => {
      server = await startTestServer(backend, { logLevel: 'info' }, { logger: true, logStream: log.stream });
      proxied = await startTestServer(backend, { logLevel: 'info', access: { ...DEFAULT_ACCESS, trustProxy: true } }, { logger: true, logStream: proxiedLog.stream });
      tenant = await newTenant(server);
    });
    after(async () => {
      await server.close();
      await proxied.close();
    });

    it('gives every response a new id, ignoring one a client sends, and the request\'s log lines carry it', async () => {
      const ok = await tenant.api.get('/api/v2/persons', { 'x-request-id': 'chosen-by-client' });
      const unauthorized = await fetch(`${server.url}/api/v2/persons`);
      const missing = await fetch(`${server.url}/nowhere`);
      const health = await fetch(`${server.url}/health`);
      const ids = [ok, unauthorized, missing, health].map((response) => response.headers.get('x-request-id') ?? '');
      assert.equal(unauthorized.status, 401);
      assert.equal(missing.status, 404);
      for (const id of ids) assert.match(id, UUID);
      assert.equal(new Set(ids).size, 4);
      const lines = await linesOf(log, ids[0]);
      assert.deepEqual(lines.map((entry) => entry.msg), ['incoming request', 'request completed']);
      assert.equal(lines[0].req.url, '/api/v2/persons');
      assert.equal(log.entries().filter((entry) => entry.reqId === 'chosen-by-client').length, 0);
    });

    it('takes the id from x-request-id behind a trusted proxy (TRUST_PROXY), unless it is not a plausible id', async () => {
      const forwarded = await fetch(`${proxied.url}/api/v2/persons`, { headers: { 'x-request-id': 'lb-7f3a.42' } });
      assert.equal(forwarded.status, 401);
      assert.equal(forwarded.headers.get('x-request-id'), 'lb-7f3a.42');
      assert.equal((await linesOf(proxiedLog, 'lb-7f3a.42')).length, 2);
      for (const odd of ['has spaces in it', 'x'.repeat(200), '"quoted"']) {
        const response = await fetch(`${proxied.url}/health`, { headers: { 'x-request-id': odd } });
        assert.match(response.headers.get('x-request-id') ?? '', UUID);
      }
      assert.match((await fetch(`${proxied.url}/health`)).headers.get('x-request-id') ?? '', UUID);
    });
  });
}
