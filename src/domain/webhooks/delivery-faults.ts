/**
 * What a test suite can make the dispatcher do to one delivery attempt (personsd's admin API configures it; see
 * src/domain/testing/webhook-faults.ts). The dispatcher asks before each attempt and applies the answer; it knows
 * nothing about rules.
 */
export interface DeliveryAttempt {
  companyId: number;
  webhookId: number;
  /** The event's delivery id (v2 `meta.id`), the same on every attempt. */
  eventId: string;
  /** `person`, `organization` or `deal`. */
  entity: string;
  /** As in the delivery log: `create.person` (v2), `added.person` (v1). */
  event: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Another event of this webhook is being held back already. */
  holding: boolean;
}

export type DeliveryFault =
  /** Count the attempt as failed without sending, for this reason. */
  | { kind: 'fail'; reason: string }
  /** Send, but only after this long. */
  | { kind: 'delay'; ms: number }
  /** Send twice, the same body both times. */
  | { kind: 'duplicate' }
  /** Send only after the next event of the same webhook was delivered. */
  | { kind: 'hold' };

export interface DeliveryFaults {
  decide(attempt: DeliveryAttempt): DeliveryFault | undefined;
}

/** The longest delay a fault may add; the dispatcher's lease on an event covers it. */
export const MAX_FAULT_DELAY_MS = 60_000;
