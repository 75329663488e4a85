/** The `include_fields` values personsd computes from activities, on persons, organizations and deals. */
export const ACTIVITY_COUNT_FIELDS = ['activities_count', 'done_activities_count', 'undone_activities_count', 'next_activity_id', 'last_activity_id'] as const;
