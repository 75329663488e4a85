import type { EventActions, WebhookEntity } from './subscription.js';

/** The facts of one write that every webhook's payload shares. */
export interface EventFacts {
  entity: WebhookEntity;
  entityId: number;
  actions: EventActions;
  companyId: number;
  actorUserId: number;
  /** Epoch ms of the write. */
  occurredAt: number;
  /** Shared by the payloads of one write across webhooks. */
  correlationId: string;
  host: string;
  permittedUserIds: number[];
  mergedFromId?: number;
  mergedToId?: number;
}

export interface PayloadWebhook {
  id: number;
  owner_id: number;
}

/**
 * v2: `{meta, data, previous}`. Meta ids are strings, as in Pipedrive's payloads; `data` is null for a delete,
 * `previous` null for a create and only the changed fields for a change.
 */
export function v2Payload(
  facts: EventFacts,
  webhook: PayloadWebhook,
  deliveryId: string,
  data: Record<string, unknown> | null,
  previous: Record<string, unknown> | null,
) {
  return {
    meta: {
      action: facts.actions.v2,
      entity: facts.entity,
      entity_id: String(facts.entityId),
      company_id: String(facts.companyId),
      correlation_id: facts.correlationId,
      id: deliveryId,
      is_bulk_edit: false,
      timestamp: new Date(facts.occurredAt).toISOString(),
      type: 'general',
      user_id: String(facts.actorUserId),
      version: '2.0',
      webhook_id: String(webhook.id),
      webhook_owner_id: String(webhook.owner_id),
      change_source: 'api',
      attempt: 1,
      host: facts.host,
      permitted_user_ids: facts.permittedUserIds.map(String),
      ...(facts.mergedFromId !== undefined && { merged_from_id: String(facts.mergedFromId) }),
      ...(facts.mergedToId !== undefined && { merged_to_id: String(facts.mergedToId) }),
    },
    data,
    previous,
  };
}

/** v1: the legacy shape, `{v, matches_filters, meta, retry, current, previous, event}`, with numeric ids. */
export function v1Payload(
  facts: EventFacts,
  webhook: PayloadWebhook,
  current: Record<string, unknown> | null,
  previous: Record<string, unknown> | null,
) {
  const matchesFilters = { current: [], previous: [] };
  return {
    v: 1,
    matches_filters: matchesFilters,
    meta: {
      v: 1,
      action: facts.actions.v1,
      object: facts.entity,
      id: facts.entityId,
      company_id: facts.companyId,
      user_id: facts.actorUserId,
      host: facts.host,
      timestamp: Math.floor(facts.occurredAt / 1000),
      timestamp_micro: facts.occurredAt * 1000,
      permitted_user_ids: facts.permittedUserIds,
      trans_pending: false,
      is_bulk_update: false,
      pipedrive_service_name: false,
      matches_filters: matchesFilters,
      webhook_id: String(webhook.id),
      webhook_owner_id: String(webhook.owner_id),
      change_source: 'api',
    },
    retry: 0,
    current,
    previous,
    event: `${facts.actions.v1}.${facts.entity}`,
  };
}

/** The stored payload as sent on attempt `attempt` (1-based): v2 counts in meta.attempt, v1 in retry (0-based). */
export function payloadForAttempt(payloadJson: string, attempt: number): string {
  const payload = JSON.parse(payloadJson) as { meta: Record<string, unknown>; retry?: number; v?: number };
  if (payload.v === 1) payload.retry = attempt - 1;
  else payload.meta.attempt = attempt;
  return JSON.stringify(payload);
}

/** The old values of the fields that changed; `update_time` moves on every write and is not a change by itself. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(before)) {
    if (key === 'update_time') continue;
    if (JSON.stringify(value) !== JSON.stringify(after[key])) previous[key] = value;
  }
  return previous;
}
