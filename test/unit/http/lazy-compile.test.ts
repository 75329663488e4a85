import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { lazySerializerFactory } from '../../../src/http/lazy-compile.ts';
import { validatorCompiler } from '../../../src/http/validation.ts';

describe('route compilers', () => {
  it('validators of the same schema in two apps behave alike, each reporting its own call’s errors', () => {
    const schema = Type.Object({ name: Type.String(), age: Type.Optional(Type.Integer()) }, { additionalProperties: false });
    const first = validatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/a' }) as ((data: unknown) => boolean) & { errors?: unknown[] | null };
    const second = validatorCompiler({ schema: structuredClone(schema), httpPart: 'body', method: 'POST', url: '/b' }) as typeof first;
    assert.equal(first({ name: 'Ann' }), true);
    assert.equal(second({ name: 5 }), false);
    assert.equal((second.errors?.[0] as { instancePath: string }).instancePath, '/name');
    assert.equal(first.errors, null);
    // The same schema as a query string coerces text: a different validator.
    const query = validatorCompiler({ schema, httpPart: 'querystring', method: 'GET', url: '/c' }) as typeof first;
    assert.equal(query({ name: 'Ann', age: '7' }), true);
    assert.equal(second({ name: 'Ann', age: '7' }), false);
  });

  it('serializers are shared only where the schema, the shared schemas and the options are the same', () => {
    const factory = lazySerializerFactory();
    const schema = { type: 'object', properties: { id: { type: 'integer' }, shown: { type: 'string' } } };
    const plain = factory({}, {});
    assert.equal(plain({ schema })({ id: 1, shown: 'x', hidden: 'y' }), '{"id":1,"shown":"x"}');
    assert.equal(factory({}, {})({ schema: structuredClone(schema) })({ id: 2, hidden: 'y' }), '{"id":2}');
    const narrower = { type: 'object', properties: { id: { type: 'integer' } } };
    assert.equal(plain({ schema: narrower })({ id: 3, shown: 'x' }), '{"id":3}');
    const shared = { Named: { $id: 'Named', type: 'object', properties: { name: { type: 'string' } } } };
    const referring = { $ref: 'Named#' };
    assert.equal(factory(shared, {})({ schema: referring })({ name: 'Ann', id: 4 }), '{"name":"Ann"}');
    const widened = { Named: { $id: 'Named', type: 'object', properties: { name: { type: 'string' }, id: { type: 'integer' } } } };
    assert.equal(factory(widened, {})({ schema: referring })({ name: 'Ann', id: 4 }), '{"name":"Ann","id":4}');
  });
});
