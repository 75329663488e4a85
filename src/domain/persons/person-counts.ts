import { countRelations } from '../../store/repositories/person-counts.repository.js';
import { tallyActivities } from '../../store/repositories/activities.repository.js';
import { ACTIVITY_COUNT_FIELDS, activityCountsOf } from '../activities/activity-counts.js';
import type { Executor } from '../../store/executor.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';

/**
 * The `include_fields` counts the stored data answers truthfully: the person's own live deals by status, the
 * "related" deals (those of the person's organization) by status, followers, notes and activities (those the viewer
 * sees), with the next (earliest undone by due date and time) and last (latest done) activity.
 * What personsd stores nothing of is answered by person-render.ts; activity counts are refused until it stores them.
 */
export const PERSON_COUNT_FIELDS = [
  'open_deals_count',
  'related_open_deals_count',
  'closed_deals_count',
  'related_closed_deals_count',
  'won_deals_count',
  'related_won_deals_count',
  'lost_deals_count',
  'related_lost_deals_count',
  'followers_count',
  'notes_count',
  'activities_count',
  'done_activities_count',
  'undone_activities_count',
  'next_activity_id',
  'last_activity_id',
] as const;
export type PersonCountField = (typeof PERSON_COUNT_FIELDS)[number];
/** Counts, and the two activity pointers (null when the person has no such activity). */
export type PersonCounts = Record<PersonCountField, number | null>;

const OWN_DEAL_FIELDS: PersonCountField[] = ['open_deals_count', 'closed_deals_count', 'won_deals_count', 'lost_deals_count'];
const RELATED_DEAL_FIELDS: PersonCountField[] = ['related_open_deals_count', 'related_closed_deals_count', 'related_won_deals_count', 'related_lost_deals_count'];

interface DealTally {
  open: number;
  won: number;
  lost: number;
}

/**
 * The counts asked for, for every person of a page, from one query; deals the viewer may not see are not counted. Returns an empty map (and runs no query)
 * when no count was asked for.
 */
export async function countPersonRelations(
  db: Executor,
  actor: Actor,
  persons: readonly { id: number; org_id: number | null }[],
  include: ReadonlySet<string> | undefined,
): Promise<Map<number, PersonCounts>> {
  const result = new Map<number, PersonCounts>();
  if (!include || persons.length === 0 || !PERSON_COUNT_FIELDS.some((f) => include.has(f))) return result;
  const wantOwn = OWN_DEAL_FIELDS.some((f) => include.has(f));
  const wantRelated = RELATED_DEAL_FIELDS.some((f) => include.has(f));
  const ids = persons.map((p) => p.id);
  const orgIds = [...new Set(persons.map((p) => p.org_id).filter((id): id is number => id !== null))];
  const viewer = await viewerOf(db, actor);
  const wantActivities = ACTIVITY_COUNT_FIELDS.some((f) => include.has(f));
  const tallies = new Map((wantActivities ? await tallyActivities(db, actor.companyId, 'person_id', ids, viewer) : []).map((t) => [t.key, t]));
  const rows = await countRelations(db, actor.companyId, {
    dealPersonIds: wantOwn ? ids : [],
    dealOrgIds: wantRelated ? orgIds : [],
    followerPersonIds: include.has('followers_count') ? ids : [],
    notePersonIds: include.has('notes_count') ? ids : [],
  }, viewer);
  const personDeals = new Map<number, DealTally>();
  const orgDeals = new Map<number, DealTally>();
  const followers = new Map<number, number>();
  const notes = new Map<number, number>();
  for (const row of rows) {
    if (row.kind === 'followers' || row.kind === 'notes') {
      (row.kind === 'followers' ? followers : notes).set(row.key, row.n);
      continue;
    }
    const tallies = row.kind === 'person_deals' ? personDeals : orgDeals;
    const tally = tallies.get(row.key) ?? { open: 0, won: 0, lost: 0 };
    if (row.status === 'open' || row.status === 'won' || row.status === 'lost') tally[row.status] += row.n;
    tallies.set(row.key, tally);
  }
  const none: DealTally = { open: 0, won: 0, lost: 0 };
  for (const person of persons) {
    const own = personDeals.get(person.id) ?? none;
    const related = (person.org_id !== null && orgDeals.get(person.org_id)) || none;
    result.set(person.id, {
      open_deals_count: own.open,
      closed_deals_count: own.won + own.lost,
      won_deals_count: own.won,
      lost_deals_count: own.lost,
      related_open_deals_count: related.open,
      related_closed_deals_count: related.won + related.lost,
      related_won_deals_count: related.won,
      related_lost_deals_count: related.lost,
      followers_count: followers.get(person.id) ?? 0,
      notes_count: notes.get(person.id) ?? 0,
      ...activityCountsOf(tallies.get(person.id)),
    });
  }
  return result;
}
