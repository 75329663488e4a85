import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

export type SortDirection = 'asc' | 'desc';

/** The sort keys most lists offer; a list with others (stages' order_nr) names its own. */
export type DefaultSortKey = 'id' | 'update_time' | 'add_time' | 'due_date';

export interface KeysetPage<S extends string = DefaultSortKey> {
  sortBy: S;
  direction: SortDirection;
  /** The last row of the previous page, if any. */
  after?: { value: string | number; id: number };
  limit: number;
}

/**
 * Orders by the sort key with the id (`idColumn`, `id` unless the table names it otherwise) as tiebreak and starts
 * strictly after the previous page's last row, so pages stay stable while rows are inserted. Fetches one row more
 * than asked, to tell whether another page follows.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: KeysetPage<string>,
  idColumn = 'id',
): SelectQueryBuilder<DB, TB, O> {
  const column = page.sortBy as any;
  const idRef = idColumn as any;
  const op = page.direction === 'asc' ? '>' : '<';
  let q = query;
  if (page.after) {
    const { value, id } = page.after;
    q =
      page.sortBy === idColumn
        ? q.where(idRef, op, id)
        : q.where((eb: ExpressionBuilder<DB, TB>) =>
            eb.or([eb(column, op, value), eb.and([eb(column, '=', value), eb(idRef, op, id)])]),
          );
  }
  if (page.sortBy !== idColumn) q = q.orderBy(column, page.direction);
  return q.orderBy(idRef, page.direction).limit(page.limit + 1);
}
