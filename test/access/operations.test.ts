import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { type Operation, requireDeclaredOperations } from '../../src/http/operations.ts';
import { type TestServer, startTestServer, testBackends } from '../helpers/server.ts';

describe('operation catalogue (costs and scopes declared by each route, from the specs)', () => {
  let server: TestServer;
  const operation = (method: string, url: string) => {
    const found = server.app.operations.find((o) => o.method === method && o.url === url);
    assert.ok(found, `${method} ${url} is declared`);
    const { version, cost, scopes, search } = found;
    return { version, cost, scopes, search };
  };
  before(async () => {
    server = await startTestServer(testBackends()[0]);
  });
  after(() => server.close());

  it('gives every API route under every prefix its spec operation', () => {
    assert.deepEqual(operation('GET', '/api/v2/persons/:id'), { version: 'v2', cost: 1, scopes: ['contacts:read', 'contacts:full'], search: false });
    assert.equal(operation('PATCH', '/api/v2/persons/:id').cost, 5);
    assert.deepEqual(operation('POST', '/api/v2/persons').scopes, ['contacts:full']);
    for (const prefix of ['/v1', '/api/v1']) {
      assert.deepEqual(operation('GET', `${prefix}/users/me`), { version: 'v1', cost: 2, scopes: ['base'], search: false });
      assert.equal(operation('GET', `${prefix}/users/:id`).cost, 2);
      assert.deepEqual(operation('PUT', `${prefix}/persons/:id/merge`).scopes, ['contacts:full']);
      assert.equal(operation('DELETE', `${prefix}/persons/:id/followers/:follower_id`).cost, 6);
      assert.deepEqual(operation('GET', `${prefix}/users/find`), { version: 'v1', cost: 40, scopes: ['users:read'], search: false });
      assert.deepEqual(operation('GET', `${prefix}/webhooks/:id/deliveries`), { version: 'v1', cost: 20, scopes: ['admin'], search: false });
    }
    assert.deepEqual(operation('GET', '/api/v2/persons/search'), { version: 'v2', cost: 20, scopes: ['contacts:read', 'contacts:full', 'search:read'], search: true });
    for (const url of ['/api/v2/itemSearch', '/api/v2/itemSearch/field']) {
      assert.deepEqual(operation('GET', url), { version: 'v2', cost: 20, scopes: ['search:read'], search: true }, url);
    }
    // The vCard of one person is priced and scoped as reading that person.
    assert.deepEqual(operation('GET', '/api/v2/persons/:id.vcf'), operation('GET', '/api/v2/persons/:id'));
  });

  it('serves the same v1 operations under /v1 and /api/v1, and lists nothing outside the API', () => {
    const v1 = server.app.operations.filter((o) => o.url.startsWith('/v1/')).map((o) => `${o.method} ${o.url.slice(3)}`);
    const apiV1 = server.app.operations.filter((o) => o.url.startsWith('/api/v1/')).map((o) => `${o.method} ${o.url.slice(7)}`);
    assert.ok(v1.length >= 20);
    assert.deepEqual(apiV1.sort(), v1.sort());
    assert.ok(server.app.operations.every((o) => /^\/(api\/)?v[12]\//.test(o.url)));
  });

  it('refuses to register an API route that declares no cost or no scopes', async () => {
    for (const config of [undefined, { cost: 1 }, { scopes: ['base'] as const }, { cost: 1, scopes: [] }]) {
      const app = Fastify();
      const catalogue: Operation[] = [];
      const start = async () => {
        await app.register(
          async (scope) => {
            requireDeclaredOperations(scope, catalogue);
            scope.get('/things/:id', { config }, async () => ({}));
          },
          { prefix: '/api/v2' },
        );
        await app.ready();
      };
      await assert.rejects(start, /GET \/api\/v2\/things\/:id declares no cost or no OAuth scopes/, JSON.stringify(config));
      assert.equal(catalogue.length, 0);
      await app.close();
    }
    const app = Fastify();
    const catalogue: Operation[] = [];
    await app.register(
      async (scope) => {
        requireDeclaredOperations(scope, catalogue);
        scope.get('/things/search', { config: { cost: 20, scopes: ['search:read'] } }, async () => ({}));
      },
      { prefix: '/api/v2' },
    );
    await app.ready();
    assert.deepEqual(catalogue.find((o) => o.method === 'GET'), { method: 'GET', url: '/api/v2/things/search', version: 'v2', cost: 20, scopes: ['search:read'], search: true });
    await app.close();
  });
});
