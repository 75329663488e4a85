import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type TestServer, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`OpenAPI document and docs [${backend.name}]`, () => {
    let server: TestServer;
    let anonymous: Api;
    before(async () => {
      server = await startTestServer(backend);
      anonymous = new Api(server.url, undefined);
    });
    after(() => server.close());

    it('/openapi.json is generated from the route schemas', async () => {
      const res = await anonymous.get('/openapi.json');
      assert.equal(res.status, 200);
      const doc = res.body;
      assert.match(doc.openapi, /^3\./);
      const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
      assert.deepEqual(methods('/api/v2/persons'), ['get', 'post']);
      assert.deepEqual(methods('/api/v2/persons/{id}'), ['delete', 'get', 'patch']);
      assert.deepEqual(methods('/api/v2/organizations'), ['get', 'post']);
      assert.deepEqual(methods('/api/v2/organizations/{id}'), ['delete', 'get', 'patch']);
      for (const prefix of ['/v1', '/api/v1']) {
        assert.deepEqual(methods(`${prefix}/users`), ['get', 'post']);
        assert.deepEqual(methods(`${prefix}/users/me`), ['get']);
        assert.deepEqual(methods(`${prefix}/users/{id}`), ['get']);
      }
      assert.equal(doc.paths['/openapi.json'], undefined);

      const list = doc.paths['/api/v2/persons'].get;
      const params = list.parameters.map((p: { name: string }) => p.name);
      for (const name of ['ids', 'owner_id', 'org_id', 'updated_since', 'updated_until', 'sort_by', 'sort_direction', 'limit', 'cursor']) {
        assert.ok(params.includes(name), `list parameter ${name}`);
      }
      const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
      assert.equal(limit.schema.maximum, 500);
      assert.equal(limit.schema.default, 100);

      const body = doc.paths['/api/v2/persons'].post.requestBody.content['application/json'].schema;
      assert.equal(body.additionalProperties, false);
      for (const field of ['name', 'owner_id', 'org_id', 'emails', 'phones', 'im', 'visible_to', 'label_ids', 'postal_address', 'notes', 'birthday', 'job_title', 'marketing_status', 'add_time', 'update_time']) {
        assert.ok(field in body.properties, `body field ${field}`);
      }
      assert.ok(doc.paths['/api/v2/persons/{id}'].get.responses['200']);
    });

    it('declares the token header and leaves /health open', async () => {
      const doc = (await anonymous.get('/openapi.json')).body;
      assert.deepEqual(doc.components.securitySchemes.api_key, { type: 'apiKey', in: 'header', name: 'x-api-token' });
      assert.deepEqual(doc.security, [{ api_key: [] }]);
      assert.deepEqual(doc.paths['/health'].get.security, []);
    });

    it('/docs renders the document as HTML, without a token', async () => {
      const res = await anonymous.get('/docs');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(String(res.body), /<html/i);
      const spec = await anonymous.get('/docs/json');
      assert.equal(spec.status, 200);
      assert.ok(spec.body.paths['/api/v2/persons']);
    });
  });
}
