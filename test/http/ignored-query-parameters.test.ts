import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const HEADER = 'x-personsd-ignored-params';

for (const backend of testBackends()) {
  describe(`query parameters a route does not know [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('are ignored, as Pipedrive ignores them, and named in a response header', async () => {
      const { api } = await newTenant(server);
      await api.post('/api/v2/persons', { name: 'Ada Lovelace' });
      const plain = await api.get('/api/v2/persons?limit=10');
      assert.equal(plain.status, 200);
      assert.equal(plain.headers.get(HEADER), null);
      const extra = await api.get('/api/v2/persons?limit=10&colour=red&sort_direction_typo=desc');
      assert.equal(extra.status, 200);
      assert.equal(extra.headers.get(HEADER), 'colour,sort_direction_typo');
      assert.deepEqual(extra.body.data, plain.body.data);
      const v1 = await api.get('/v1/users/me?start=0&foo=1');
      assert.equal(v1.status, 200);
      assert.equal(v1.headers.get(HEADER), 'start,foo');
    });

    it('still refuses a declared parameter with a wrong value, naming it', async () => {
      const { api } = await newTenant(server);
      const res = await api.get('/api/v2/persons?limit=lots&colour=red');
      assert.equal(res.status, 400);
      assert.match(res.body.error, /limit/);
      assert.equal(res.body.success, false);
    });

    it('refuse a parameter that would narrow a list the route cannot narrow, rather than answer unfiltered rows', async () => {
      const { api } = await newTenant(server);
      await api.post('/api/v2/persons', { name: 'Grace Hopper' });
      for (const path of ['/v1/notes?filter_id=3', '/api/v2/deals?stage_id=1']) {
        const res = await api.get(path);
        assert.equal(res.status, 400, path);
        assert.match(res.body.error, /(filter_id|stage_id) is not supported on this route/, path);
      }
    });

    it('keep api_token working as a credential', async () => {
      const { token } = await newTenant(server);
      const res = await fetch(`${server.url}/api/v2/persons?api_token=${token}&whatever=1`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get(HEADER), 'whatever');
    });
  });
}
