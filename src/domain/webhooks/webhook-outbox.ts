import { randomUUID } from 'node:crypto';
import type { Executor } from '../../store/executor.js';
import { type NewDeliveryRow, insertDeliveries } from '../../store/repositories/webhook-deliveries.repository.js';
import { type NewOutboxRow, insertOutboxRows } from '../../store/repositories/webhook-outbox.repository.js';
import { type WebhookRow, listLiveWebhooks } from '../../store/repositories/webhooks.repository.js';
import { type ChangeStamp, RememberedWhileUnchanged } from '../remembered-while-unchanged.js';
import { type WriteEvent, type WriteListener, recorder } from '../write-events.js';
import { type Clock, isBanned, isoTime, systemClock } from './delivery-policy.js';
import type { WebhookEntityShape } from './entity-shape.js';
import { EventLookups } from './event-lookups.js';
import { eventActions, eventName, subscribes } from './subscription.js';
import { type EventFacts, changedFields, v1Payload, v2Payload } from './webhook-payload.js';

/**
 * Turns writes into outbox rows, one per subscribed webhook, inside the write's own transaction: the event exists
 * exactly when the change does (a crash after commit loses nothing, a rollback sends nothing). Delivery is the
 * dispatcher's job, later and elsewhere.
 */
export class WebhookOutbox {
  private readonly queuedHandlers: (() => void)[] = [];

  private readonly remembered: RememberedWhileUnchanged<WebhookRow[]> | undefined;

  /**
   * With `settingsStamp`, a company found to have no live webhook is remembered as such until the stamp moves (a
   * webhook added announces itself on PostgreSQL): most companies have none, and every write asked.
   */
  constructor(
    private readonly clock: Clock = systemClock,
    settingsStamp?: ChangeStamp,
  ) {
    this.remembered = settingsStamp && new RememberedWhileUnchanged(settingsStamp);
  }

  /** Called when a write queued events (before its commit): lets a dispatcher in this process look soon. */
  onQueued(handler: () => void): void {
    this.queuedHandlers.push(handler);
  }

  /** The write listener that gives an entity type webhook events: `listeners.push(outbox.listener(shape))`. */
  listener<Row>(shape: WebhookEntityShape<Row>): WriteListener<Row> {
    return recorder((trx, event) => this.enqueue(trx, shape, event));
  }

  private async enqueue<Row>(trx: Executor, shape: WebhookEntityShape<Row>, event: WriteEvent<Row>): Promise<void> {
    const companyId = event.actor.companyId;
    const live = () => listLiveWebhooks(trx, companyId);
    // Only "none" is remembered: a live webhook's row changes with every delivery, which announces nothing.
    const liveWebhooks = await (this.remembered ? this.remembered.get(companyId, live, { keep: (rows) => rows.length === 0, since: event.actor.arrivedAt }) : live());
    const subscribed = liveWebhooks.filter((w) => subscribes(w, shape.entity, event.action));
    const subject = event.after ?? event.before;
    if (subscribed.length === 0 || subject === null) return;

    const lookups = new EventLookups(trx, companyId);
    // Sent only to webhooks whose user may see the entity (as it is after the write, or was before a delete).
    const permittedUserIds = await shape.permittedUserIds(subject, lookups);
    const webhooks = subscribed.filter((w) => permittedUserIds.includes(w.user_id));
    if (webhooks.length === 0) return;
    const bodies = new EventBodies(shape, event, lookups);
    // A change that changed nothing a subscriber sees (only update_time) is no event; a merge always is one.
    if (event.action === 'change' && Object.keys((await bodies.v2()).previous ?? {}).length === 0) return;

    const now = this.clock();
    const actions = eventActions(event.action);
    const facts: EventFacts = {
      entity: shape.entity,
      entityId: shape.id(subject),
      actions,
      companyId,
      actorUserId: event.actor.userId,
      occurredAt: now,
      correlationId: randomUUID(),
      host: await lookups.host(),
      permittedUserIds,
      ...(event.mergedFromId !== undefined && { mergedFromId: event.mergedFromId }),
      ...(event.mergedToId !== undefined && { mergedToId: event.mergedToId }),
    };

    const queued: NewOutboxRow[] = [];
    const dropped: NewDeliveryRow[] = [];
    for (const webhook of webhooks) {
      const deliveryId = randomUUID();
      const name = eventName(webhook.version, actions, shape.entity);
      if (isBanned(webhook, now)) {
        dropped.push(droppedDelivery(webhook, deliveryId, name, facts.entityId, now));
        continue;
      }
      const payload =
        webhook.version === '1.0'
          ? await bodies.v1(webhook.user_id).then((b) => v1Payload(facts, webhook, b.current, b.previous))
          : await bodies.v2().then((b) => v2Payload(facts, webhook, deliveryId, b.data, b.previous));
      queued.push({
        company_id: companyId,
        webhook_id: webhook.id,
        event_id: deliveryId,
        entity: shape.entity,
        entity_id: facts.entityId,
        event: name,
        payload: JSON.stringify(payload),
        next_attempt_at: now,
        created_at: now,
      });
    }
    await insertOutboxRows(trx, queued);
    await insertDeliveries(trx, dropped);
    if (queued.length > 0) for (const handler of this.queuedHandlers) handler();
  }
}

/**
 * The version-specific bodies of one write: v2's rendered once however many webhooks get it, v1's once per
 * receiving user, since v1 names linked records (`org_name`) that not every receiver may see.
 */
class EventBodies<Row> {
  private v2Body?: Promise<{ data: Record<string, unknown> | null; previous: Record<string, unknown> | null }>;
  private readonly v1Bodies = new Map<number, Promise<{ current: Record<string, unknown> | null; previous: Record<string, unknown> | null }>>();

  constructor(
    private readonly shape: WebhookEntityShape<Row>,
    private readonly event: WriteEvent<Row>,
    private readonly lookups: EventLookups,
  ) {}

  v2() {
    this.v2Body ??= (async () => {
      const { before, after } = this.event;
      const data = after === null ? null : await this.shape.v2(after, this.lookups);
      const old = before === null ? null : await this.shape.v2(before, this.lookups);
      // v2 `previous`: only the changed fields on a change, the whole last state on a delete.
      return { data, previous: old === null ? null : data === null ? old : changedFields(old, data) };
    })();
    return this.v2Body;
  }

  v1(receiverId: number) {
    let body = this.v1Bodies.get(receiverId);
    if (body === undefined) {
      const lookups = this.lookups.forReceiver(receiverId);
      const { before, after } = this.event;
      body = (async () => ({
        current: after === null ? null : await this.shape.v1(after, lookups),
        previous: before === null ? null : await this.shape.v1(before, lookups),
      }))();
      this.v1Bodies.set(receiverId, body);
    }
    return body;
  }
}

function droppedDelivery(webhook: WebhookRow, eventId: string, event: string, entityId: number, now: number): NewDeliveryRow {
  return {
    company_id: webhook.company_id,
    webhook_id: webhook.id,
    event_id: eventId,
    event,
    entity_id: entityId,
    attempt: 1,
    result: 'dropped',
    status_code: null,
    latency_ms: null,
    error: `webhook banned until ${isoTime(webhook.banned_until as number)}`,
    time: isoTime(now),
  };
}
