import type { DeliveryAttempt, DeliveryFault, DeliveryFaults } from '../webhooks/delivery-faults.js';
import { seededRandom } from './faults.js';

export const WEBHOOK_FAULT_TYPES = ['webhook_duplicate', 'webhook_delay', 'webhook_out_of_order', 'webhook_fail'] as const;
export type WebhookFaultType = (typeof WEBHOOK_FAULT_TYPES)[number];

export interface WebhookFaultRule {
  type: WebhookFaultType;
  /** Only this webhook's events; any webhook when absent. */
  webhook_id?: number;
  /** `person`, `organization`, `deal`; any when absent. */
  event_object?: string;
  /** `create`, `change`, `delete` (or v1's `added`, `updated`, `deleted`, `merged`); any when absent. */
  event_action?: string;
  /** webhook_delay: how long to hold the delivery. */
  delay_ms?: number;
  /** webhook_fail: fail attempts 1..attempts of each event hit (1 when absent). */
  attempts?: number;
  /** Hit at most this many events, then the rule stays but no longer fires. */
  times?: number;
  /** Chance that a matching event is hit, 0..1 (1 when absent). */
  probability?: number;
  seed?: number;
}

/** v2 and v1 name the same actions differently; a rule names either. */
const SAME_ACTION: Record<string, string> = { create: 'added', added: 'create', change: 'updated', updated: 'change', delete: 'deleted', deleted: 'delete' };
/** Events whose hit-or-miss a rule remembers; a test suite's rules see far fewer. */
const REMEMBERED_EVENTS = 10_000;

interface ActiveRule {
  id: number;
  rule: WebhookFaultRule;
  random: () => number;
  /** Per event id: whether this rule hit it (decided when the rule first saw the event). */
  decided: Map<string, boolean>;
  matched: number;
  fired: number;
}

/**
 * Webhook delivery faults: duplicate, late, out-of-order and failed deliveries, matched by webhook and event. An
 * event is hit or missed once, when a rule first sees it; a hit duplicates, delays or holds back that first
 * attempt, or fails its first `attempts` attempts (so the retry schedule runs).
 */
export class WebhookFaults implements DeliveryFaults {
  private rules: ActiveRule[] = [];

  constructor(private readonly newId: () => number) {}

  get empty(): boolean {
    return this.rules.length === 0;
  }

  add(rule: WebhookFaultRule): number {
    const id = this.newId();
    const random = seededRandom(rule.seed ?? (Math.random() * 2 ** 32) >>> 0);
    this.rules.push({ id, rule, random, decided: new Map(), matched: 0, fired: 0 });
    return id;
  }

  list(): Array<WebhookFaultRule & { id: number; matched: number; fired: number }> {
    return this.rules.map((r) => ({ ...r.rule, id: r.id, matched: r.matched, fired: r.fired }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that hits the attempt decides. */
  decide(attempt: DeliveryAttempt): DeliveryFault | undefined {
    for (const active of this.rules) {
      if (!matches(active.rule, attempt)) continue;
      const seen = active.decided.get(attempt.eventId);
      const hit = seen ?? this.firstSight(active, attempt);
      if (!hit) continue;
      const fault = faultOf(active, attempt, seen === undefined);
      if (fault) return fault;
    }
    return undefined;
  }

  private firstSight(active: ActiveRule, attempt: DeliveryAttempt): boolean {
    const { rule } = active;
    // An event held back already blocks nothing more: a second hold would wait for a third event, and so on.
    const eligible = !(rule.type === 'webhook_out_of_order' && attempt.holding);
    active.matched++;
    const hit =
      eligible && (rule.times === undefined || active.fired < rule.times) && (rule.probability === undefined || active.random() < rule.probability);
    if (hit) active.fired++;
    active.decided.set(attempt.eventId, hit);
    if (active.decided.size > REMEMBERED_EVENTS) active.decided.delete(active.decided.keys().next().value as string);
    return hit;
  }
}

function matches(rule: WebhookFaultRule, attempt: DeliveryAttempt): boolean {
  if (rule.webhook_id !== undefined && rule.webhook_id !== attempt.webhookId) return false;
  if (rule.event_object !== undefined && rule.event_object !== '*' && rule.event_object !== attempt.entity) return false;
  if (rule.event_action === undefined || rule.event_action === '*') return true;
  const action = attempt.event.split('.')[0];
  return rule.event_action === action || SAME_ACTION[rule.event_action] === action;
}

/** What a hit does to this attempt; `first` is the rule's first sight of the event. */
function faultOf(active: ActiveRule, attempt: DeliveryAttempt, first: boolean): DeliveryFault | undefined {
  const { rule } = active;
  switch (rule.type) {
    case 'webhook_fail':
      return attempt.attempt <= (rule.attempts ?? 1) ? { kind: 'fail', reason: `fault injected (rule ${active.id})` } : undefined;
    case 'webhook_delay':
      return first ? { kind: 'delay', ms: rule.delay_ms ?? 0 } : undefined;
    case 'webhook_duplicate':
      return first ? { kind: 'duplicate' } : undefined;
    case 'webhook_out_of_order':
      return first ? { kind: 'hold' } : undefined;
  }
}
