import type { WriteAction } from '../write-events.js';

export type WebhookVersion = '1.0' | '2.0';
export const WEBHOOK_VERSIONS: readonly WebhookVersion[] = ['1.0', '2.0'];

/**
 * Pipedrive's API takes create/change/delete, its v1 guide and payloads say added/updated/merged/deleted; both are
 * accepted and stored as given (the behaviour doc's stance), and matched in the webhook's own version's terms.
 */
export const EVENT_ACTIONS = ['create', 'change', 'delete', 'added', 'updated', 'merged', 'deleted', '*'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** The objects personsd emits events for. */
export const EVENT_OBJECTS = ['person', 'organization', 'deal', 'note', 'activity', '*'] as const;
export type EventObject = (typeof EVENT_OBJECTS)[number];
export type WebhookEntity = Exclude<EventObject, '*'>;

/** What a v2 payload's meta.action says, and what a v1 payload's meta.action says, for one write. */
export interface EventActions {
  v2: 'create' | 'change' | 'delete';
  v1: 'added' | 'updated' | 'merged' | 'deleted';
}

/** v2 has no merge event: the survivor of a merge gets a `change` (with merged_from_id), as Pipedrive does. */
export function eventActions(action: WriteAction): EventActions {
  switch (action) {
    case 'create':
      return { v2: 'create', v1: 'added' };
    case 'change':
      return { v2: 'change', v1: 'updated' };
    case 'merge':
      return { v2: 'change', v1: 'merged' };
    case 'delete':
      return { v2: 'delete', v1: 'deleted' };
  }
}

const AS_V2: Record<string, string> = { added: 'create', updated: 'change', deleted: 'delete' };
const AS_V1: Record<string, string> = { create: 'added', change: 'updated', delete: 'deleted' };

export interface Subscription {
  event_action: string;
  event_object: string;
  version: string;
}

/** Whether a webhook wants this write: its object, and its action read in its version's vocabulary. */
export function subscribes(webhook: Subscription, entity: WebhookEntity, action: WriteAction): boolean {
  if (webhook.event_object !== '*' && webhook.event_object !== entity) return false;
  if (webhook.event_action === '*') return true;
  const actions = eventActions(action);
  if (webhook.version === '1.0') return (AS_V1[webhook.event_action] ?? webhook.event_action) === actions.v1;
  // A v2 webhook asking for `merged` gets the survivors' change events of merges only.
  if (webhook.event_action === 'merged') return action === 'merge';
  return (AS_V2[webhook.event_action] ?? webhook.event_action) === actions.v2;
}

/** The event name a payload and the delivery log use, e.g. `change.person` (v2) or `updated.person` (v1). */
export function eventName(version: string, actions: EventActions, entity: WebhookEntity): string {
  return `${version === '1.0' ? actions.v1 : actions.v2}.${entity}`;
}
