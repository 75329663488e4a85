import type { DeliveryRow } from '../../store/repositories/webhook-deliveries.repository.js';
import type { WebhookRow } from '../../store/repositories/webhooks.repository.js';
import { type Clock, isBanned, isoTime } from './delivery-policy.js';

/**
 * A webhook in the v1 shape. `is_active` is 0 while the webhook is banned or once it was removed; `banned_until`
 * (beyond Pipedrive) says until when a ban drops its events.
 */
export function renderWebhookV1(row: WebhookRow, clock: Clock) {
  const banned = isBanned(row, clock());
  return {
    id: row.id,
    company_id: row.company_id,
    owner_id: row.owner_id,
    user_id: row.user_id,
    event_action: row.event_action,
    event_object: row.event_object,
    subscription_url: row.subscription_url,
    version: row.version,
    is_active: row.remove_time === null && !banned ? 1 : 0,
    add_time: row.add_time,
    remove_time: row.remove_time,
    type: 'general',
    http_auth_user: row.http_auth_user,
    http_auth_password: row.http_auth_password,
    remove_reason: row.remove_reason,
    last_delivery_time: row.last_delivery_time,
    last_http_status: row.last_http_status,
    admin_id: row.owner_id,
    name: row.name,
    banned_until: banned ? isoTime(row.banned_until as number) : null,
  };
}

export function renderDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    event_id: row.event_id,
    event: row.event,
    entity_id: row.entity_id,
    attempt: row.attempt,
    result: row.result as 'success' | 'failure' | 'dropped',
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    error: row.error,
    time: row.time,
  };
}
