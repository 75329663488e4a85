import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LARGE_BODY_CHARS } from '../../src/http/large-bodies.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * Answers longer than LARGE_BODY_CHARS leave as bytes (src/http/large-bodies.ts): the client must get the same JSON,
 * headers and length as a string answer would carry, multi-byte characters included.
 */
for (const backend of testBackends()) {
  describe(`large answers [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('arrive whole, with their length in bytes, type and request id, on v2 and v1', async () => {
      const tenant = await newTenant(server);
      const name = (k: number) => `Zoë Ångström ${k}`;
      const notes = '€ ✓ 名前 '.repeat(500);
      for (let k = 0; k < 40; k++) {
        const created = await tenant.api.post('/api/v2/persons', { name: name(k), notes });
        assert.equal(created.status, 200, JSON.stringify(created.body));
      }
      for (const path of ['/api/v2/persons?limit=100', '/v1/persons?limit=100', '/api/v2/persons?limit=2']) {
        const response = await fetch(`${server.url}${path}`, { headers: { 'x-api-token': tenant.token } });
        const bytes = Buffer.from(await response.arrayBuffer());
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('content-length'), String(bytes.length), path);
        assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8', path);
        assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, path);
        const text = bytes.toString('utf8');
        const body = JSON.parse(text);
        const expected = path.endsWith('limit=2') ? 2 : 40;
        assert.deepEqual(body.data.map((person: { name: string }) => person.name), Array.from({ length: expected }, (_, k) => name(k)), path);
        assert.ok(body.data.every((person: { notes: string }) => person.notes === notes), path);
        // The two long pages are past the limit, the short one is not: both ways are exercised.
        assert.equal(text.length > LARGE_BODY_CHARS, expected === 40, path);
      }
    });
  });
}
