import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

export type SortDirection = 'asc' | 'desc';

export interface KeysetPage {
  sortBy: 'id' | 'update_time' | 'add_time' | 'due_date';
  direction: SortDirection;
  /** The last row of the previous page, if any. */
  after?: { value: string | number; id: number };
  limit: number;
}

/**
 * Orders by the sort key with `id` as tiebreak and starts strictly after the previous page's last row, so pages
 * stay stable while rows are inserted. Fetches one row more than asked, to tell whether another page follows.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: KeysetPage,
): SelectQueryBuilder<DB, TB, O> {
  const column = page.sortBy as any;
  const op = page.direction === 'asc' ? '>' : '<';
  let q = query;
  if (page.after) {
    const { value, id } = page.after;
    q =
      page.sortBy === 'id'
        ? q.where('id' as any, op, id)
        : q.where((eb: ExpressionBuilder<DB, TB>) =>
            eb.or([eb(column, op, value), eb.and([eb(column, '=', value), eb('id' as any, op, id)])]),
          );
  }
  if (page.sortBy !== 'id') q = q.orderBy(column, page.direction);
  return q.orderBy('id' as any, page.direction).limit(page.limit + 1);
}
