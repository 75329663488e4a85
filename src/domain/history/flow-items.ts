import type { ActivityRow } from '../../store/repositories/activities.repository.js';
import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { NoteRow } from '../../store/repositories/notes.repository.js';
import type { ActivityNames } from '../activities/activity-render.js';
import { renderActivityV1 } from '../activities/activity-render.js';
import { invalid } from '../errors.js';
import type { NoteNames } from '../notes/note-render.js';
import { renderNoteV1 } from '../notes/note-render.js';
import type { RelatedObjects } from '../related-objects.js';
import { toV1Time } from '../time.js';

/** A changelog page (cursor pages, and `start` for v1 clients that page by offset). */
export interface ChangelogRequest {
  cursor?: string;
  /** Accepted for v1 clients that page the changelog by offset (see the behaviour reference). */
  start?: number;
  limit?: number;
}

export interface FlowRequest {
  start?: number;
  limit?: number;
  /** Custom field changes are left out unless asked for, as in Pipedrive. */
  allChanges?: boolean;
  /** Comma-separated update types; absent means all. */
  items?: string;
}

/** One entry of an update feed (v1 `/{entity}/{id}/flow`), in v1's `{object, timestamp, data}` shape. */
export interface FlowItem {
  object: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface FlowPage {
  items: FlowItem[];
  start: number;
  limit: number;
  more: boolean;
  related: RelatedObjects;
}

/** The update types Pipedrive's flows know. Those personsd has no data for (mail, files …) select nothing. */
export const PIPEDRIVE_FLOW_ITEMS = [
  'call', 'activity', 'plannedActivity', 'change', 'note', 'deal', 'file', 'dealChange', 'personChange', 'organizationChange',
  'follower', 'dealFollower', 'personFollower', 'organizationFollower', 'participant', 'comment', 'mailMessage',
  'mailMessageWithAttachment', 'invoice', 'document', 'marketing_campaign_stat', 'marketing_status_change',
];

/** The asked-for update types (`items`, comma-separated), or `all` when absent; an unknown type is a 400. */
export function parseFlowItems(items: string | undefined, all: readonly string[], extra: readonly string[] = []): Set<string> {
  if (items === undefined) return new Set(all);
  const names = items.split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) {
    if (!extra.includes(name) && !PIPEDRIVE_FLOW_ITEMS.includes(name)) {
      throw invalid(`items: unknown update type "${name}"`, `Known types: ${[...PIPEDRIVE_FLOW_ITEMS, ...extra].join(', ')}.`);
    }
  }
  return new Set(names);
}

/** Entries placed by time, newest first. */
export function newestFirst<T extends { time: string }>(entries: T[]): T[] {
  return entries.sort((a, b) => (a.time === b.time ? 0 : a.time < b.time ? 1 : -1));
}

export function dealFlowItem(deal: DealRow): FlowItem {
  return {
    object: 'deal',
    timestamp: toV1Time(deal.add_time) as string,
    data: {
      id: deal.id,
      title: deal.title,
      value: deal.value,
      currency: deal.currency,
      status: deal.status,
      person_id: deal.person_id,
      org_id: deal.org_id,
      user_id: deal.owner_id,
      creator_user_id: deal.creator_user_id,
      add_time: toV1Time(deal.add_time),
      update_time: toV1Time(deal.update_time),
      won_time: toV1Time(deal.won_time),
      lost_time: toV1Time(deal.lost_time),
      close_time: toV1Time(deal.close_time),
      active: deal.status === 'open',
      deleted: false,
      visible_to: String(deal.visible_to),
    },
  };
}

export function noteFlowItem(note: NoteRow, names: NoteNames, viewerId: number): FlowItem {
  return { object: 'note', timestamp: toV1Time(note.add_time) as string, data: renderNoteV1(note, names, viewerId) };
}

/** Done activities are `activity` items, planned (undone) ones `plannedActivity`, both placed by when they were added. */
export function activityFlowItem(activity: ActivityRow, names: ActivityNames): FlowItem {
  return { object: activity.done === 1 ? 'activity' : 'plannedActivity', timestamp: toV1Time(activity.add_time) as string, data: renderActivityV1(activity, names) };
}

/** Pipedrive names the organization or owner a change points at, next to its id. */
export function addFormattedValues(data: Record<string, unknown>, related: RelatedObjects): void {
  const name = (id: unknown) => {
    if (id === null) return null;
    if (data.field_key === 'org_id') return related.organization[String(id)]?.name ?? null;
    if (data.field_key === 'owner_id' || data.field_key === 'user_id') return related.user[String(id)]?.name ?? null;
    if (data.field_key === 'person_id') return related.person[String(id)]?.name ?? null;
    return undefined;
  };
  const oldName = name(data.old_value);
  const newName = name(data.new_value);
  if (oldName === undefined) return;
  data.additional_data = { old_value_formatted: oldName, new_value_formatted: newName };
}
