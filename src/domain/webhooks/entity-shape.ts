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

const HIDDEN_COLUMNS = new Set(['company_id', 'deleted_time']);
const JSON_COLUMNS = new Set(['label_ids', 'custom_fields', 'emails', 'phones', 'im', 'address', 'postal_address']);

/**
 * A shape for an entity that has no dedicated one yet (deals, until they get theirs): the stored columns as they
 * are, JSON columns parsed, the tenant and soft-delete bookkeeping left out. Good enough for an integration to
 * see what changed; a dedicated shape can replace it without touching anything else.
 */
export function genericWebhookShape<Row extends { id: number }>(entity: WebhookEntity): WebhookEntityShape<Row> {
  const render = async (row: Row) => {
    const out: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (HIDDEN_COLUMNS.has(column)) continue;
      out[column] = JSON_COLUMNS.has(column) && typeof value === 'string' ? JSON.parse(value) : value;
    }
    return out;
  };
  return { entity, id: (row) => row.id, permittedUserIds: (_row, lookups) => lookups.activeUserIds(), v2: render, v1: render };
}
