/**
 * Whose activities v1's `GET /activities` lists, from its `user_id` and `filter_id`: without `user_id` the caller's
 * own, unless a saved filter selects them (then only the filter narrows); `user_id=0` every user's; any other the
 * user named. `undefined` means no owner condition.
 */
export function v1ActivityOwner(query: { userId?: number; filterId?: number }, callerId: number): number | undefined {
  if (query.userId === undefined) return query.filterId === undefined ? callerId : undefined;
  return query.userId === 0 ? undefined : query.userId;
}
