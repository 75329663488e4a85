import type { ActivityTally } from '../../store/repositories/activities.repository.js';

/** The `include_fields` values personsd computes from activities, on persons, organizations and deals. */
export const ACTIVITY_COUNT_FIELDS = ['activities_count', 'done_activities_count', 'undone_activities_count', 'next_activity_id', 'last_activity_id'] as const;

/** Those values of one record from its tally (tallyActivities); a record without one has no activities. */
export function activityCountsOf(tally: ActivityTally | undefined) {
  return {
    activities_count: tally?.total ?? 0,
    done_activities_count: tally?.done ?? 0,
    undone_activities_count: (tally?.total ?? 0) - (tally?.done ?? 0),
    next_activity_id: tally?.next_id ?? null,
    last_activity_id: tally?.last_id ?? null,
  };
}
