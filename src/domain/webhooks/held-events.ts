import type { NewOutboxRow, OutboxRow } from '../../store/repositories/webhook-outbox.repository.js';

/**
 * Events a delivery fault holds back (out of order), per webhook. They leave the outbox while held, so later events
 * of the same entity are not kept waiting behind them, and go back into it, due at once, when released.
 */
export class HeldEvents {
  private readonly byWebhook = new Map<number, OutboxRow[]>();

  has(webhookId: number): boolean {
    return this.byWebhook.has(webhookId);
  }

  hold(event: OutboxRow): void {
    this.byWebhook.set(event.webhook_id, [...(this.byWebhook.get(event.webhook_id) ?? []), event]);
  }

  /** The webhook's held events as outbox rows due at `now`; they are no longer held. */
  release(webhookId: number, now: number): NewOutboxRow[] {
    const events = this.byWebhook.get(webhookId) ?? [];
    this.byWebhook.delete(webhookId);
    return events.map((event) => requeued(event, now));
  }

  releaseAll(now: number): NewOutboxRow[] {
    return [...this.byWebhook.keys()].flatMap((webhookId) => this.release(webhookId, now));
  }
}

function requeued(event: OutboxRow, now: number): NewOutboxRow {
  const { id: _id, lease_owner: _owner, lease_until: _lease, ...kept } = event;
  return { ...kept, next_attempt_at: now };
}
