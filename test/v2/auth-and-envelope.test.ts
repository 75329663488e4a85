import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken } from '../../src/domain/users/tokens.ts';
import { Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const UNAUTHORIZED = { success: false, error: 'unauthorized access', errorCode: 401 };

/** Pipedrive's error envelope: the fixed keys with a readable error, whatever the status. */
function assertErrorEnvelope(body: any): void {
  assert.equal(body.success, false);
  assert.equal(typeof body.error, 'string');
  assert.ok(body.error.length > 0);
  assert.equal(typeof body.error_info, 'string');
  assert.equal(body.data, null);
  assert.equal(body.additional_data, null);
}

for (const backend of testBackends()) {
  describe(`auth and envelope [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend, { bodyLimit: 2048 });
    });
    after(() => server.close());

    describe('auth', () => {
      it('accepts the token as x-api-token, as ?api_token= and as a Bearer header', async () => {
        const { token, userId } = await newTenant(server);
        const anonymous = new Api(server.url, undefined);
        const viaHeader = await anonymous.get('/v1/users/me', { 'x-api-token': token });
        const viaQuery = await anonymous.get(`/v1/users/me?api_token=${token}`);
        const viaBearer = await anonymous.get('/v1/users/me', { authorization: `Bearer ${token}` });
        const viaLowerBearer = await anonymous.get('/v1/users/me', { authorization: `bearer ${token}` });
        for (const res of [viaHeader, viaQuery, viaBearer, viaLowerBearer]) {
          assert.equal(res.status, 200);
          assert.equal(res.body.data.id, userId);
        }
        const v2Query = await anonymous.post(`/api/v2/persons?api_token=${token}`, { name: 'Via query' });
        assert.equal(v2Query.status, 200);
        assert.equal(v2Query.body.data.owner_id, userId);
      });

      it('answers a missing token with Pipedrive\'s 401 body', async () => {
        const anonymous = new Api(server.url, undefined);
        for (const path of ['/api/v2/persons', '/api/v2/organizations', '/v1/users', '/api/v1/users/me', '/api/v2/persons/1']) {
          const res = await anonymous.get(path);
          assert.equal(res.status, 401, path);
          assert.deepEqual({ success: res.body.success, error: res.body.error, errorCode: res.body.errorCode }, UNAUTHORIZED);
        }
        const write = await anonymous.post('/api/v2/persons', { name: 'Nobody' });
        assert.equal(write.status, 401);
      });

      it('answers an unknown, empty or malformed token with a 401', async () => {
        const { token } = await newTenant(server);
        const anonymous = new Api(server.url, undefined);
        const attempts = [
          anonymous.get('/api/v2/persons', { 'x-api-token': 'f'.repeat(40) }),
          anonymous.get('/api/v2/persons', { 'x-api-token': token.slice(0, -1) }),
          anonymous.get('/api/v2/persons?api_token='),
          anonymous.get('/api/v2/persons', { authorization: 'Bearer ' }),
          anonymous.get('/api/v2/persons', { authorization: `Basic ${token}` }),
          anonymous.get(`/api/v2/persons?api_token=${token.toUpperCase()}`),
          anonymous.get('/api/v2/persons', { authorization: `Bearer ${token}x` }),
        ];
        for (const res of await Promise.all(attempts)) {
          assert.equal(res.status, 401);
          assert.equal(res.body.errorCode, 401);
          assert.equal(res.body.error, 'unauthorized access');
        }
      });

      it('leaves /health, /ready, /openapi.json and /docs open', async () => {
        const anonymous = new Api(server.url, undefined);
        assert.deepEqual((await anonymous.get('/health')).body, { success: true, data: { status: 'ok' } });
        const ready = await anonymous.get('/ready');
        assert.equal(ready.status, 200);
        assert.equal(ready.body.data.database.reachable, true);
        assert.equal(ready.body.data.database.dialect, backend.name);
        assert.equal((await anonymous.get('/openapi.json')).status, 200);
        const docs = await anonymous.get('/docs');
        assert.equal(docs.status, 200);
        assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
      });

      it('stores only a hash of the token', async () => {
        const { token, userId } = await newTenant(server);
        const rows = await server.store.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).execute();
        assert.equal(rows.length, 1);
        assert.notEqual(rows[0].token_hash, token);
        assert.ok(!rows[0].token_hash.includes(token));
        assert.equal(rows[0].token_hash, hashToken(token));
        const leaked = await server.store.db.selectFrom('api_tokens').select('id').where('token_hash', '=', token).execute();
        assert.equal(leaked.length, 0);
      });
    });

    describe('envelope and statuses', () => {
      it('answers an unknown route with a 404 envelope, authenticated or not', async () => {
        const { api } = await newTenant(server);
        for (const res of [await api.get('/api/v2/nothing-here'), await new Api(server.url, undefined).get('/nope')]) {
          assert.equal(res.status, 404);
          assertErrorEnvelope(res.body);
        }
      });

      it('answers an unknown id with a 404 envelope', async () => {
        const { api } = await newTenant(server);
        for (const path of ['/api/v2/persons/999999999', '/api/v2/organizations/999999999']) {
          const res = await api.get(path);
          assert.equal(res.status, 404, path);
          assertErrorEnvelope(res.body);
        }
      });

      it('answers malformed JSON with a 400, never a 500', async () => {
        const { api } = await newTenant(server);
        for (const text of ['{"name": "Jane"', '{name: 1}', 'null x', '']) {
          const res = await api.post('/api/v2/persons', text, { 'content-type': 'application/json' });
          assert.equal(res.status, 400, JSON.stringify(text));
          assertErrorEnvelope(res.body);
        }
        assert.deepEqual((await api.get('/api/v2/persons')).body.data, []);
      });

      it('takes a DELETE labelled as JSON with an empty body as a DELETE without a body', async () => {
        const { api } = await newTenant(server);
        const { body } = await api.post('/api/v2/persons', { name: 'Short Lived' });
        const res = await api.request('DELETE', `/api/v2/persons/${body.data.id}`, '', { 'content-type': 'application/json' });
        assert.equal(res.status, 200);
        assert.equal((await api.get(`/api/v2/persons/${body.data.id}`)).status, 404);
      });

      it('answers a JSON value that is not an object with a 400', async () => {
        const { api } = await newTenant(server);
        for (const text of ['[]', '"Jane"', '42', 'null']) {
          const res = await api.post('/api/v2/persons', text, { 'content-type': 'application/json' });
          assert.equal(res.status, 400, text);
          assertErrorEnvelope(res.body);
        }
      });

      it('answers a non-JSON content type with a 415', async () => {
        const { api } = await newTenant(server);
        const attempts = [
          api.post('/api/v2/persons', 'name=Jane', { 'content-type': 'application/x-www-form-urlencoded' }),
          api.post('/api/v2/persons', 'Jane', { 'content-type': 'text/plain' }),
          api.patch('/api/v2/persons/1', '<person/>', { 'content-type': 'application/xml' }),
        ];
        for (const res of await Promise.all(attempts)) {
          assert.equal(res.status, 415);
          assertErrorEnvelope(res.body);
        }
      });

      it('answers a body over the limit with a 413 and stores nothing', async () => {
        const { api } = await newTenant(server);
        const res = await api.post('/api/v2/persons', { name: 'Big', notes: 'x'.repeat(4096) });
        assert.equal(res.status, 413);
        assertErrorEnvelope(res.body);
        assert.match(res.body.error_info, /2048/);
        assert.deepEqual((await api.get('/api/v2/persons')).body.data, []);
      });

      it('answers v1 paths under /v1 and /api/v1, and v2 only under /api/v2', async () => {
        const { api, userId } = await newTenant(server);
        const short = await api.get('/v1/users/me');
        const long = await api.get('/api/v1/users/me');
        assert.equal(short.status, 200);
        assert.deepEqual(long.body, short.body);
        assert.equal(short.body.data.id, userId);
        assert.equal((await api.get('/v2/persons')).status, 404);
        assert.equal((await api.get('/api/v2/users')).status, 404);
      });

      it('answers a success with the envelope and JSON content type', async () => {
        const { api } = await newTenant(server);
        const res = await api.post('/api/v2/persons', { name: 'Jane' });
        assert.equal(res.status, 200);
        assert.equal(res.body.success, true);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        const list = await api.get('/api/v2/persons');
        assert.deepEqual(Object.keys(list.body).sort(), ['additional_data', 'data', 'success']);
        assert.deepEqual(list.body.additional_data, { next_cursor: null });
      });
    });
  });

  describe(`internal errors [${backend.name}]`, () => {
    it('answers in the envelope without internals when the database is gone, and /ready says so', async () => {
      const server = await startTestServer(backend);
      try {
        const { api } = await newTenant(server);
        const created = await api.post('/api/v2/persons', { name: 'Before the outage' });
        assert.equal(created.status, 200);
        await server.store.db.destroy();
        const res = await api.get(`/api/v2/persons/${created.body.data.id}`);
        assert.ok(res.status === 500 || res.status === 503, `a server error, got ${res.status}`);
        assertErrorEnvelope(res.body);
        assert.doesNotMatch(JSON.stringify(res.body), /destroyed|kysely|sqlite|postgres|stack|at \w+ \(/i);
        const ready = await new Api(server.url, undefined).get('/ready');
        assert.equal(ready.status, 503);
        assert.equal(ready.body.data.database.reachable, false);
        assert.equal((await new Api(server.url, undefined).get('/health')).status, 200);
      } finally {
        await server.close();
      }
    });
  });
}

/*
 * A 500 is provoked by corrupting a stored row. That is done only in a private SQLite database: in the PostgreSQL
 * database the test files share, a corrupt row would break other tests (startup work reads every person).
 */
describe('internal errors on a private database', () => {
  it('answers a 500 in the envelope, without internals, when stored data is corrupt', async () => {
    const server = await startTestServer(testBackends()[0]);
    try {
      const { api } = await newTenant(server);
      const created = await api.post('/api/v2/persons', { name: 'Corrupted', emails: [{ value: 'c@example.com' }] });
      const id = created.body.data.id;
      await server.store.db.updateTable('persons').set({ emails: '[{"value":' }).where('id', '=', id).execute();
      const res = await api.patch(`/api/v2/persons/${id}`, { job_title: 'CTO' });
      assert.equal(res.status, 500);
      assertErrorEnvelope(res.body);
      assert.equal(res.body.error, 'Internal Server Error');
      assert.doesNotMatch(JSON.stringify(res.body), /JSON|Unexpected|position|stack|at \w+ \(/i);
    } finally {
      await server.close();
    }
  });
});
