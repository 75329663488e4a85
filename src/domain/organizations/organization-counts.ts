import type { Executor } from '../../store/executor.js';
import { tallyActivities } from '../../store/repositories/activities.repository.js';
import { countOrganizationRelations } from '../../store/repositories/organization-counts.repository.js';
import { viewerOf } from '../access/visibility.js';
import { ACTIVITY_COUNT_FIELDS, activityCountsOf } from '../activities/activity-counts.js';
import type { Actor } from '../actor.js';

/** The `include_fields` values the v2 spec lists for organizations. */
export const ORGANIZATION_INCLUDE_FIELDS = [
  'next_activity_id', 'last_activity_id', 'open_deals_count', 'related_open_deals_count', 'closed_deals_count', 'related_closed_deals_count',
  'email_messages_count', 'people_count', 'activities_count', 'done_activities_count', 'undone_activities_count', 'files_count', 'notes_count',
  'followers_count', 'won_deals_count', 'related_won_deals_count', 'lost_deals_count', 'related_lost_deals_count', 'smart_bcc_email',
] as const;

/** What personsd stores nothing of (mail, files, Smart BCC): every organization has none. */
const NOTHING_STORED = { email_messages_count: 0, files_count: 0, smart_bcc_email: null } as const;

/**
 * An organization's counts, all from the records the viewer may see: its persons; its own deals by status; its
 * "related" deals (those of its persons that name another organization or none) by status; its notes, followers and
 * activities, with the next (earliest undone) and last (latest done) activity.
 */
export interface OrganizationCounts {
  people_count: number;
  open_deals_count: number;
  closed_deals_count: number;
  won_deals_count: number;
  lost_deals_count: number;
  related_open_deals_count: number;
  related_closed_deals_count: number;
  related_won_deals_count: number;
  related_lost_deals_count: number;
  notes_count: number;
  followers_count: number;
  activities_count: number;
  done_activities_count: number;
  undone_activities_count: number;
  next_activity_id: number | null;
  last_activity_id: number | null;
}

const NONE: OrganizationCounts = {
  people_count: 0,
  open_deals_count: 0,
  closed_deals_count: 0,
  won_deals_count: 0,
  lost_deals_count: 0,
  related_open_deals_count: 0,
  related_closed_deals_count: 0,
  related_won_deals_count: 0,
  related_lost_deals_count: 0,
  notes_count: 0,
  followers_count: 0,
  activities_count: 0,
  done_activities_count: 0,
  undone_activities_count: 0,
  next_activity_id: null,
  last_activity_id: null,
};

const wants = (include: ReadonlySet<string> | 'all', ...names: string[]) => include === 'all' || names.some((n) => include.has(n));

/**
 * The counts of a page of organizations, a fixed number of grouped queries whatever its size; only the groups
 * `include` names are queried ('all': every one, for the v1 view). Every organization of `orgIds` gets an entry.
 */
export async function countOrganizations(db: Executor, actor: Actor, orgIds: readonly number[], include: ReadonlySet<string> | 'all'): Promise<Map<number, OrganizationCounts>> {
  const result = new Map<number, OrganizationCounts>(orgIds.map((id) => [id, { ...NONE }]));
  if (orgIds.length === 0 || (include !== 'all' && include.size === 0)) return result;
  const viewer = await viewerOf(db, actor);
  const [rows, tallies] = await Promise.all([
    countOrganizationRelations(
      db,
      actor.companyId,
      orgIds,
      {
        people: wants(include, 'people_count'),
        deals: wants(include, 'open_deals_count', 'closed_deals_count', 'won_deals_count', 'lost_deals_count'),
        relatedDeals: wants(include, 'related_open_deals_count', 'related_closed_deals_count', 'related_won_deals_count', 'related_lost_deals_count'),
        notes: wants(include, 'notes_count'),
        followers: wants(include, 'followers_count'),
      },
      viewer,
    ),
    wants(include, ...ACTIVITY_COUNT_FIELDS) ? tallyActivities(db, actor.companyId, 'org_id', orgIds, viewer) : Promise.resolve([]),
  ]);
  for (const [id, counts] of result) {
    counts.people_count = rows.people.get(id) ?? 0;
    counts.notes_count = rows.notes.get(id) ?? 0;
    counts.followers_count = rows.followers.get(id) ?? 0;
  }
  for (const { orgId, status, n } of rows.deals) addDeals(result.get(orgId), '', status, n);
  for (const { orgId, status, n } of rows.relatedDeals) addDeals(result.get(orgId), 'related_', status, n);
  for (const t of tallies) {
    const counts = result.get(t.key);
    if (counts) Object.assign(counts, activityCountsOf(t));
  }
  return result;
}

function addDeals(counts: OrganizationCounts | undefined, prefix: '' | 'related_', status: string, n: number) {
  if (!counts || (status !== 'open' && status !== 'won' && status !== 'lost')) return;
  counts[`${prefix}${status}_deals_count`] += n;
  if (status !== 'open') counts[`${prefix}closed_deals_count`] += n;
}

/** Every `include_fields` value of one organization, computed or stored-nothing. */
export function organizationIncludeValues(counts: OrganizationCounts | undefined): Record<string, unknown> {
  return { ...(counts ?? NONE), ...NOTHING_STORED };
}
