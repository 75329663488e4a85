import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { genericCost, operationFor } from '../../src/http/operations.ts';

describe('operation catalogue (costs and scopes from the specs)', () => {
  it('maps Fastify routes under every prefix to the spec operation', () => {
    assert.deepEqual(operationFor('GET', '/api/v2/persons/:id'), { version: 'v2', cost: 1, scopes: ['contacts:read', 'contacts:full'], search: false, mapped: true });
    assert.equal(operationFor('PATCH', '/api/v2/persons/:id')?.cost, 5);
    assert.deepEqual(operationFor('POST', '/api/v2/persons')?.scopes, ['contacts:full']);
    for (const prefix of ['/v1', '/api/v1']) {
      assert.deepEqual(operationFor('GET', `${prefix}/users/me`), { version: 'v1', cost: 2, scopes: ['base'], search: false, mapped: true });
      assert.equal(operationFor('GET', `${prefix}/users/:id`)?.cost, 2);
      assert.deepEqual(operationFor('PUT', `${prefix}/persons/:id/merge`)?.scopes, ['contacts:full']);
      assert.deepEqual(operationFor('DELETE', `${prefix}/persons/:id/followers/:follower_id`)?.cost, 6);
    }
    assert.deepEqual(operationFor('GET', '/api/v2/persons/search'), {
      version: 'v2',
      cost: 20,
      scopes: ['contacts:read', 'contacts:full', 'search:read'],
      search: true,
      mapped: true,
    });
    assert.equal(operationFor('HEAD', '/api/v2/persons')?.cost, 10);
    for (const url of ['/api/v2/itemSearch', '/api/v2/itemSearch/field']) {
      assert.deepEqual(operationFor('GET', url), { version: 'v2', cost: 20, scopes: ['search:read'], search: true, mapped: true }, url);
    }
    for (const prefix of ['/v1', '/api/v1']) {
      assert.deepEqual(operationFor('GET', `${prefix}/users/find`), { version: 'v1', cost: 40, scopes: ['users:read'], search: false, mapped: true });
    }
  });

  it('fails safe for routes without a row: the generic cost, and only the admin scope', () => {
    assert.deepEqual(operationFor('GET', '/v1/webhooks/:id/deliveries'), { version: 'v1', cost: 20, scopes: ['admin'], search: false, mapped: false });
    assert.equal(operationFor('DELETE', '/api/v2/somethingNew/:id')?.cost, 3);
    assert.equal(operationFor('GET', '/api/v2/somethingNew/search')?.search, true);
    assert.equal(genericCost('v1', 'GET', '/things/{}'), 2);
    assert.equal(genericCost('v1', 'GET', '/things'), 20);
    assert.equal(genericCost('v1', 'PUT', '/things/{}'), 10);
    assert.equal(genericCost('v2', 'GET', '/things'), 10);
    assert.equal(genericCost('v2', 'GET', '/things/search'), 20);
  });

  it('leaves routes outside the API alone', () => {
    for (const url of ['/health', '/docs', '/openapi.json', '/oauth/token', '/v2/persons']) assert.equal(operationFor('GET', url), undefined, url);
  });
});
