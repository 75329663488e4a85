import { sql } from 'kysely';
import { dialectOf } from '../dialect/index.js';
import type { Executor } from '../executor.js';
import type { FilterPredicate } from '../filters/filter-predicate.js';
import { predicateSql } from '../filters/predicate-sql.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import type { OrganizationRow } from './organizations.repository.js';

/*
 * What the v1 organizations API reads beyond v2's: pages by offset with v1's filters and sort, and the counts a v1
 * organization carries. Kept apart from organizations.repository.ts so the v1 view grows without touching v2's SQL.
 */

export interface OrganizationOffsetFilter {
  ownerId?: number;
  /** Names starting with any of these characters (v1's first_char: the letter in both cases). */
  firstChars?: string[];
  /** A saved filter's conditions (v1 `filter_id`). */
  predicate?: FilterPredicate;
}

/** Columns v1's `sort` may order organizations by. */
export const ORGANIZATION_SORT_COLUMNS = ['id', 'name', 'owner_id', 'visible_to', 'add_time', 'update_time'] as const;
export type OrganizationSortColumn = (typeof ORGANIZATION_SORT_COLUMNS)[number];

export interface OrganizationOffsetPage {
  order: { field: OrganizationSortColumn; direction: 'asc' | 'desc' }[];
  start: number;
  limit: number;
}

/** A page by offset, one row more than asked to tell whether another follows; `id` ends every order. */
export async function listOrganizationsByOffset(
  db: Executor,
  companyId: number,
  filter: OrganizationOffsetFilter,
  page: OrganizationOffsetPage,
  viewer: RecordViewer,
): Promise<OrganizationRow[]> {
  let query = withVisibility(db.selectFrom('organizations').selectAll().where('company_id', '=', companyId).where('deleted_time', 'is', null), viewer, 'organizations');
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  if (filter.firstChars) query = query.where(sql<string>`substr(name, 1, 1)`, 'in', filter.firstChars);
  if (filter.predicate) query = query.where(predicateSql(dialectOf(db), 'organizations', filter.predicate, viewer));
  for (const { field, direction } of page.order) if (field !== 'id') query = query.orderBy(field, direction);
  const idDirection = page.order.find((k) => k.field === 'id')?.direction ?? 'asc';
  return query.orderBy('id', idDirection).offset(page.start).limit(page.limit + 1).execute();
}
