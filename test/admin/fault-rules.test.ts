import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultRules } from '../../src/domain/testing/faults.ts';

const delays = (rules: FaultRules, n: number) => Array.from({ length: n }, () => rules.decide('GET', '/api/v2/persons')!.delayMs);

describe('fault rules', () => {
  it('draws uniform latencies within their bounds, the same ones for the same seed', () => {
    const make = () => {
      const rules = new FaultRules();
      rules.add({ path: '/api/v2/*', latency: { distribution: 'uniform', min_ms: 100, max_ms: 200 }, seed: 7 });
      return rules;
    };
    const drawn = delays(make(), 50);
    assert.ok(drawn.every((ms) => ms >= 100 && ms <= 200), String(drawn));
    assert.ok(new Set(drawn).size > 40, 'spread over the range');
    assert.deepEqual(delays(make(), 50), drawn);
  });

  it('draws log-normal latencies around the median, capped by max_ms', () => {
    const rules = new FaultRules();
    rules.add({ path: '/api/v2/persons', latency: { distribution: 'lognormal', median_ms: 100, sigma: 1, max_ms: 1000 }, seed: 3 });
    const drawn = delays(rules, 2000).sort((a, b) => a - b);
    const median = drawn[1000];
    assert.ok(median > 80 && median < 125, `median ${median}`);
    assert.ok(drawn.every((ms) => ms > 0 && ms <= 1000));
    assert.equal(drawn.at(-1), 1000, 'the long tail is capped');
  });

  it('matches method and wildcard path, stops after `times`, and lets the first firing rule decide', () => {
    const rules = new FaultRules();
    rules.add({ method: 'post', path: '/api/v2/persons', status: 500, times: 2 });
    rules.add({ path: '/api/v2/*', status: 503 });
    assert.equal(rules.decide('GET', '/api/v2/persons')?.status, 503);
    assert.equal(rules.decide('POST', '/api/v2/persons')?.status, 500);
    assert.equal(rules.decide('POST', '/api/v2/persons')?.status, 500);
    assert.equal(rules.decide('POST', '/api/v2/persons')?.status, 503);
    assert.equal(rules.decide('GET', '/v1/persons'), undefined);
    assert.deepEqual(rules.list().map((r) => r.fired), [2, 2]);
    rules.clear();
    assert.equal(rules.empty, true);
  });
});
