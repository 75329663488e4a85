import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetFaults, nextMidnightUtc } from '../../../../src/domain/testing/budget-faults.ts';

let nextId = 1;

describe('daily budget fault rules', () => {
  it('spend a company or a token until the next midnight UTC', () => {
    const now = Date.parse('2030-03-04T23:59:59.500Z');
    assert.equal(nextMidnightUtc(now), Date.parse('2030-03-05T00:00:00Z'));
    assert.equal(nextMidnightUtc(Date.parse('2030-03-05T00:00:00Z')), Date.parse('2030-03-06T00:00:00Z'));
    const budgets = new BudgetFaults(() => nextId++);
    budgets.add({ credential: { kind: 'api_token', id: 3 } }, now);
    budgets.add({ companyId: 5 }, now);
    const token = (id: number) => ({ kind: 'api_token', id });
    assert.equal(budgets.exhaustedUntil(1, token(3), now), Date.parse('2030-03-05T00:00:00Z'));
    assert.equal(budgets.exhaustedUntil(1, { kind: 'oauth', id: 3 }, now), undefined, 'an OAuth token with the same row id is another token');
    assert.equal(budgets.exhaustedUntil(5, token(9), now), Date.parse('2030-03-05T00:00:00Z'));
    assert.equal(budgets.exhaustedUntil(6, token(9), now), undefined);
    assert.equal(budgets.exhaustedUntil(5, token(3), now + 500), undefined, 'lifted at midnight');
    assert.deepEqual(budgets.list(now + 500).map((r) => [r.active, r.fired]), [[false, 1], [false, 1]]);
  });
});
