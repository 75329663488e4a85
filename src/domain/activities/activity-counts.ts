import type { Executor } from '../../store/executor.js';
import { type ActivityLink, tallyActivities } from '../../store/repositories/activities.repository.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';

/** The `include_fields` values personsd computes from activities, on persons, organizations and deals. */
export const ACTIVITY_COUNT_FIELDS = ['activities_count', 'done_activities_count', 'undone_activities_count', 'next_activity_id', 'last_activity_id'] as const;
export type ActivityCountField = (typeof ACTIVITY_COUNT_FIELDS)[number];
export interface ActivityCounts {
  activities_count: number;
  done_activities_count: number;
  undone_activities_count: number;
  next_activity_id: number | null;
  last_activity_id: number | null;
}

export const NO_ACTIVITIES: ActivityCounts = { activities_count: 0, done_activities_count: 0, undone_activities_count: 0, next_activity_id: null, last_activity_id: null };

/**
 * The activity counts and pointers of a page of records linked by `link`, from one query; activities the viewer may
 * not see are not counted. Runs nothing when none of the fields is asked for.
 */
export async function countActivities(
  db: Executor,
  actor: Actor,
  link: ActivityLink,
  keys: readonly number[],
  include: ReadonlySet<string> | undefined,
): Promise<Map<number, ActivityCounts>> {
  const result = new Map<number, ActivityCounts>();
  if (!include || keys.length === 0 || !ACTIVITY_COUNT_FIELDS.some((f) => include.has(f))) return result;
  for (const t of await tallyActivities(db, actor.companyId, link, keys, await viewerOf(db, actor))) {
    result.set(t.key, { activities_count: t.total, done_activities_count: t.done, undone_activities_count: t.total - t.done, next_activity_id: t.next_id, last_activity_id: t.last_id });
  }
  return result;
}

/**
 * Reads `include_fields` of a route whose spec lists `listed`: the activity fields are computed, the others the spec
 * lists are refused as not supported yet (rather than answered with a made-up value), anything else is unknown.
 */
export function activityIncludeFields(text: string | undefined, listed: readonly string[]): Set<string> | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) {
    if (!listed.includes(name)) throw invalid(`include_fields: unknown field "${name}"`);
    if (!(ACTIVITY_COUNT_FIELDS as readonly string[]).includes(name)) {
      throw invalid(`include_fields: "${name}" is not supported by personsd yet`, `Supported: ${ACTIVITY_COUNT_FIELDS.join(', ')}.`);
    }
  }
  return new Set(names);
}

/** The asked-for fields of one record as an object to merge into its rendering. */
export function activityCountFields(counts: ActivityCounts | undefined, include: ReadonlySet<string> | undefined): Partial<ActivityCounts> {
  if (!include) return {};
  const all = counts ?? NO_ACTIVITIES;
  return Object.fromEntries(ACTIVITY_COUNT_FIELDS.filter((f) => include.has(f)).map((f) => [f, all[f]])) as Partial<ActivityCounts>;
}
