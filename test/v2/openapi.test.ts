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
      assert.deepEqual(methods('/api/v1/users'), ['get', 'post']);
      assert.deepEqual(methods('/api/v1/users/me'), ['get']);
      assert.deepEqual(methods('/api/v1/users/{id}'), ['get', 'put']);
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

    it('lists v2 first and each v1 route once (under /api/v1, though /v1 serves it too), tagged by API version', async () => {
      const doc = (await anonymous.get('/openapi.json')).body;
      const paths = Object.keys(doc.paths);
      assert.deepEqual(paths.filter((path) => path.startsWith('/v1/')), []);
      const firstV1 = paths.findIndex((path) => path.startsWith('/api/v1/'));
      const lastV2 = paths.map((path) => path.startsWith('/api/v2/')).lastIndexOf(true);
      assert.ok(paths[0].startsWith('/api/v2/') && lastV2 < firstV1, paths.slice(0, 5).join(' '));
      assert.equal((await anonymous.get('/v1/users/me')).status, 401, 'the hidden prefix still serves');
      const tags = doc.tags.map((tag: { name: string }) => tag.name);
      assert.equal(tags[0], 'v2: Persons');
      assert.ok(tags.indexOf('v1: Persons') > tags.lastIndexOf(tags.filter((tag: string) => tag.startsWith('v2: ')).at(-1)));
      assert.deepEqual(doc.paths['/api/v2/persons'].get.tags, ['v2: Persons']);
      assert.deepEqual(doc.paths['/api/v1/personFields'].get.tags, ['v1: PersonFields']);
      assert.deepEqual(doc.paths['/health'].get.tags, ['Service']);
    });

    it('/docs is personsd\'s: its title, its logo and icon, no other project\'s', async () => {
      const page = String((await anonymous.get('/docs/static/index.html')).body);
      assert.match(page, /<title>personsd API<\/title>/);
      assert.match(page, /favicon\.svg/);
      const initializer = String((await anonymous.get('/docs/static/swagger-initializer.js')).body);
      const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(initializer);
      assert.ok(logo, 'the top bar gets a logo of its own');
      assert.match(Buffer.from(logo[1], 'base64').toString('utf8'), /<text[^>]*>personsd<\/text>/);
      assert.doesNotMatch(initializer, /fastify/i);
      const icon = await fetch(`${server.url}/docs/static/theme/favicon.svg`);
      assert.equal(icon.status, 200);
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
