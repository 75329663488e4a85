import type { EventLookups } from './event-lookups.js';
import type { WebhookEntity } from './subscription.js';

/**
 * How one kind of entity appears in webhook payloads: v2's `data` / `previous` objects and v1's `current` /
 * `previous` objects. An entity type gets webhook events by registering `outbox.listener(itsShape)` as a write
 * listener of its service.
 */
export interface WebhookEntityShape<Row> {
  entity: WebhookEntity;
  id(row: Row): number;
  /**
   * The users who may see the entity: its payloads' `permitted_user_ids`, and a webhook is sent the event only if
   * the user it is authorised as is one of them.
   */
  permittedUserIds(row: Row, lookups: EventLookups): Promise<number[]>;
  v2(row: Row, lookups: EventLookups): Promise<Record<string, unknown>>;
  v1(row: Row, lookups: EventLookups): Promise<Record<string, unknown>>;
}
