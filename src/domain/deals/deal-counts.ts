import type { Executor } from '../../store/executor.js';
import { tallyActivities } from '../../store/repositories/activities.repository.js';
import { countDealRelations } from '../../store/repositories/deal-counts.repository.js';
import type { DealRow } from '../../store/repositories/deals.repository.js';
import { viewerOf } from '../access/visibility.js';
import { ACTIVITY_COUNT_FIELDS, activityCountsOf } from '../activities/activity-counts.js';
import type { Actor } from '../actor.js';

/** The `include_fields` values the v2 spec lists for deals. */
export const DEAL_INCLUDE_FIELDS = [
  'next_activity_id', 'last_activity_id', 'first_won_time', 'products_count', 'files_count', 'notes_count', 'followers_count', 'email_messages_count',
  'activities_count', 'done_activities_count', 'undone_activities_count', 'participants_count', 'last_incoming_mail_time', 'last_outgoing_mail_time',
  'smart_bcc_email', 'source_lead_id',
] as const;

/** What personsd stores nothing of (products, files, mail, Smart BCC, leads): every deal has none. */
const NOTHING_STORED = {
  products_count: 0,
  files_count: 0,
  email_messages_count: 0,
  last_incoming_mail_time: null,
  last_outgoing_mail_time: null,
  smart_bcc_email: null,
  source_lead_id: null,
} as const;

/**
 * A deal's counts, from the records the viewer may see: its notes, followers and activities (with the next undone
 * and last done one), and its participants: personsd links one person to a deal, its contact person, which
 * Pipedrive counts as a participant.
 */
export interface DealCounts {
  notes_count: number;
  followers_count: number;
  participants_count: number;
  activities_count: number;
  done_activities_count: number;
  undone_activities_count: number;
  next_activity_id: number | null;
  last_activity_id: number | null;
}

const NONE: DealCounts = {
  notes_count: 0,
  followers_count: 0,
  participants_count: 0,
  activities_count: 0,
  done_activities_count: 0,
  undone_activities_count: 0,
  next_activity_id: null,
  last_activity_id: null,
};

/** The counts of a page of deals, a fixed number of grouped queries; only the groups `include` names are queried. */
export async function countDeals(db: Executor, actor: Actor, dealIds: readonly number[], include: ReadonlySet<string>): Promise<Map<number, DealCounts>> {
  const result = new Map<number, DealCounts>(dealIds.map((id) => [id, { ...NONE }]));
  if (dealIds.length === 0 || include.size === 0) return result;
  const viewer = await viewerOf(db, actor);
  const [rows, tallies] = await Promise.all([
    countDealRelations(db, actor.companyId, dealIds, { notes: include.has('notes_count'), followers: include.has('followers_count'), participants: include.has('participants_count') }, viewer),
    ACTIVITY_COUNT_FIELDS.some((f) => include.has(f)) ? tallyActivities(db, actor.companyId, 'deal_id', dealIds, viewer) : Promise.resolve([]),
  ]);
  for (const [id, counts] of result) {
    counts.notes_count = rows.notes.get(id) ?? 0;
    counts.followers_count = rows.followers.get(id) ?? 0;
    counts.participants_count = rows.withParticipant.has(id) ? 1 : 0;
  }
  for (const t of tallies) {
    const counts = result.get(t.key);
    if (counts) Object.assign(counts, activityCountsOf(t));
  }
  return result;
}

/**
 * Every `include_fields` value of one deal. `first_won_time` is the won time personsd keeps: a deal won, reopened
 * and won again answers its latest win (personsd keeps no deal history to find the first).
 */
export function dealIncludeValues(row: DealRow, counts: DealCounts | undefined): Record<string, unknown> {
  return { ...(counts ?? NONE), first_won_time: row.won_time, ...NOTHING_STORED };
}
