import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonTextProblem } from '../../../src/http/json-text.ts';

describe('JSON text checks', () => {
  it('names a key sent twice in one object, also when spelt with escapes, and not keys repeated in sibling objects', () => {
    assert.match(jsonTextProblem('{"a":1,"b":{"c":1},"a":2}', 32) ?? '', /"a" twice/);
    assert.match(jsonTextProblem('{"name":1,"na\\u006de":2}', 32) ?? '', /"name" twice/);
    assert.equal(jsonTextProblem('[{"a":1},{"a":2}]', 32), undefined);
    assert.equal(jsonTextProblem('{"a":"\\"a\\":1","b":"{[{["}', 32), undefined);
  });

  it('refuses nesting past the limit, counting objects and arrays alike and ignoring brackets inside strings', () => {
    assert.equal(jsonTextProblem('[[[1]]]', 3), undefined);
    assert.match(jsonTextProblem('[[[[1]]]]', 3) ?? '', /more than 3 levels deep/);
    assert.match(jsonTextProblem('{"a":[{"b":1}]}', 2) ?? '', /more than 2 levels deep/);
    assert.equal(jsonTextProblem('{"a":"[[[[[[","b":[1,[2]]}', 3), undefined);
    // Nesting far past any stack: the scan is a loop.
    assert.match(jsonTextProblem(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, 32) ?? '', /32 levels/);
  });
});
