import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebhookFaults } from '../../../../src/domain/testing/webhook-faults.ts';
import type { DeliveryAttempt } from '../../../../src/domain/webhooks/delivery-faults.ts';

let nextId = 1;
const faults = () => new WebhookFaults(() => nextId++);
const attempt = (overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  companyId: 1,
  webhookId: 7,
  eventId: 'e1',
  entity: 'person',
  event: 'create.person',
  attempt: 1,
  holding: false,
  ...overrides,
});

describe('webhook delivery fault rules', () => {
  it('match by webhook id, event object and event action, in either version vocabulary', () => {
    const rules = faults();
    rules.add({ type: 'webhook_duplicate', webhook_id: 7, event_object: 'person', event_action: 'added' });
    assert.equal(rules.decide(attempt())?.kind, 'duplicate', 'v1 added matches a v2 create');
    assert.equal(rules.decide(attempt({ eventId: 'e2', event: 'added.person' }))?.kind, 'duplicate');
    assert.equal(rules.decide(attempt({ eventId: 'e3', webhookId: 8 })), undefined);
    assert.equal(rules.decide(attempt({ eventId: 'e4', entity: 'deal', event: 'create.deal' })), undefined);
    assert.equal(rules.decide(attempt({ eventId: 'e5', event: 'change.person' })), undefined);
    assert.deepEqual(rules.list().map((r) => [r.matched, r.fired]), [[2, 2]]);
  });

  it('fail the first `attempts` attempts of an event hit, and duplicate, delay or hold only its first', () => {
    const rules = faults();
    rules.add({ type: 'webhook_fail', attempts: 2, event_action: 'create' });
    rules.add({ type: 'webhook_delay', delay_ms: 250, event_action: 'change' });
    assert.match((rules.decide(attempt()) as { reason: string }).reason, /^fault injected \(rule \d+\)$/);
    assert.equal(rules.decide(attempt({ attempt: 2 }))?.kind, 'fail');
    assert.equal(rules.decide(attempt({ attempt: 3 })), undefined);
    assert.deepEqual(rules.decide(attempt({ eventId: 'c1', event: 'change.person' })), { kind: 'delay', ms: 250 });
    assert.equal(rules.decide(attempt({ eventId: 'c1', event: 'change.person', attempt: 2 })), undefined, 'a retry is not delayed again');
  });

  it('hit at most `times` events, the same ones for the same seed, and hold nothing while an event is held', () => {
    const rules = faults();
    rules.add({ type: 'webhook_out_of_order', times: 2 });
    assert.equal(rules.decide(attempt({ eventId: 'a', holding: true })), undefined, 'one held event per webhook at a time');
    assert.equal(rules.decide(attempt({ eventId: 'b' }))?.kind, 'hold');
    assert.equal(rules.decide(attempt({ eventId: 'b' })), undefined, 'a released event is not held again');
    assert.equal(rules.decide(attempt({ eventId: 'c' }))?.kind, 'hold');
    assert.equal(rules.decide(attempt({ eventId: 'd' })), undefined);

    const hits = () => {
      const seeded = faults();
      seeded.add({ type: 'webhook_duplicate', probability: 0.5, seed: 9 });
      return Array.from({ length: 30 }, (_, i) => seeded.decide(attempt({ eventId: `e${i}` })) !== undefined);
    };
    const first = hits();
    assert.deepEqual(hits(), first);
    assert.ok(first.includes(true) && first.includes(false));
  });
});
