import { type Insertable, type Selectable, type Updateable, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { repointPersonRows } from './person-links.repository.js';
import { markDeleted } from '../soft-delete.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import { lockedForUpdate } from '../row-lock.js';
import { rowsById } from '../rows-by-id.js';
import type { DealsTable } from '../schema.js';
import { dialectOf } from '../dialect/index.js';
import type { FilterPredicate } from '../filters/filter-predicate.js';
import { predicateSql } from '../filters/predicate-sql.js';

export type DealRow = Selectable<DealsTable>;
export type NewDealRow = Insertable<DealsTable>;
export type DealChanges = Updateable<DealsTable>;

export interface DealListFilter {
  ids?: number[];
  ownerId?: number;
  personId?: number;
  orgId?: number;
  pipelineId?: number;
  stageId?: number;
  /** Statuses to list; 'deleted' adds the deals deleted within the retention window. Absent: all live deals. */
  statuses?: string[];
  updatedSince?: string;
  updatedUntil?: string;
  /** A saved filter's conditions (filter_id), evaluated in SQL. */
  predicate?: FilterPredicate;
}

/** Reads by id of readers who see every deal (rows-by-id.ts). */
const dealsById = rowsById<DealRow>('deals', { live: true });

/** The live deal; with a viewer, only when the viewer may see it (without one: internal reads). */
export async function findDeal(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<DealRow | undefined> {
  if (viewer === undefined || viewer.everything) return dealsById.one(db, companyId, id);
  const query = db.selectFrom('deals').selectAll().where('id', '=', id).where('company_id', '=', companyId).where('deleted_time', 'is', null);
  return withVisibility(query, viewer, 'deals').executeTakeFirst();
}

/** The live deal, locked against other writers until the transaction ends; for read-modify-write. */
export async function findDealForUpdate(trx: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<DealRow | undefined> {
  const query = trx.selectFrom('deals').selectAll().where('id', '=', id).where('company_id', '=', companyId).where('deleted_time', 'is', null);
  return lockedForUpdate(trx, withVisibility(query, viewer, 'deals')).executeTakeFirst();
}

export async function insertDeal(db: Executor, row: NewDealRow): Promise<number> {
  const inserted = await db.insertInto('deals').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateDeal(db: Executor, companyId: number, id: number, changes: DealChanges): Promise<void> {
  await db.updateTable('deals').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export function markDealDeleted(db: Executor, companyId: number, id: number, time: string): Promise<boolean> {
  return markDeleted(db, 'deals', companyId, id, time);
}

export async function listDeals(db: Executor, companyId: number, filter: DealListFilter, page: KeysetPage, viewer?: RecordViewer): Promise<DealRow[]> {
  return keysetPage(filteredDeals(db, companyId, filter, viewer), page).execute();
}

/** Columns v1's `sort` may order deals by. */
export const DEAL_SORT_COLUMNS = ['id', 'title', 'value', 'status', 'add_time', 'update_time', 'close_time', 'expected_close_date', 'owner_id'] as const;
export type DealSortColumn = (typeof DEAL_SORT_COLUMNS)[number];

/** A page by offset (v1 lists), one row more than asked; nulls last in both directions on both dialects, `id` last. */
export async function listDealsByOffset(
  db: Executor,
  companyId: number,
  filter: DealListFilter,
  page: { order: { field: DealSortColumn; direction: 'asc' | 'desc' }[]; start: number; limit: number },
  viewer?: RecordViewer,
): Promise<DealRow[]> {
  let query = filteredDeals(db, companyId, filter, viewer);
  for (const { field, direction } of page.order) {
    if (field !== 'id') query = query.orderBy(sql`case when ${sql.ref(field)} is null then 1 else 0 end`).orderBy(field, direction);
  }
  const idDirection = page.order.find((k) => k.field === 'id')?.direction ?? 'asc';
  return query.orderBy('id', idDirection).offset(page.start).limit(page.limit + 1).execute();
}

function filteredDeals(db: Executor, companyId: number, filter: DealListFilter, viewer?: RecordViewer) {
  let query = withVisibility(db.selectFrom('deals').selectAll().where('company_id', '=', companyId), viewer, 'deals');
  const statuses = filter.statuses ?? [];
  const live = statuses.filter((s) => s !== 'deleted');
  if (statuses.includes('deleted')) {
    // Deleted deals of any status, plus the live ones of the other listed statuses.
    query = query.where((eb) =>
      eb.or([eb('deleted_time', 'is not', null), ...(live.length > 0 ? [eb.and([eb('deleted_time', 'is', null), eb('status', 'in', live)])] : [])]),
    );
  } else {
    query = query.where('deleted_time', 'is', null);
    if (live.length > 0) query = query.where('status', 'in', live);
  }
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  if (filter.personId !== undefined) query = query.where('person_id', '=', filter.personId);
  if (filter.orgId !== undefined) query = query.where('org_id', '=', filter.orgId);
  if (filter.pipelineId !== undefined) query = query.where('pipeline_id', '=', filter.pipelineId);
  if (filter.stageId !== undefined) query = query.where('stage_id', '=', filter.stageId);
  if (filter.updatedSince !== undefined) query = query.where('update_time', '>=', filter.updatedSince);
  if (filter.updatedUntil !== undefined) query = query.where('update_time', '<', filter.updatedUntil);
  if (filter.predicate) query = query.where(predicateSql(dialectOf(db), 'deals', filter.predicate, viewer));
  return query;
}

/** The live deals linked to a person, oldest first. */
export async function listPersonDeals(db: Executor, companyId: number, personId: number): Promise<DealRow[]> {
  return db
    .selectFrom('deals')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .where('deleted_time', 'is', null)
    .orderBy('id')
    .execute();
}

/** The live deals linked to a person or an organization, locked against other writers, oldest first. */
export async function linkedDealsForUpdate(trx: Executor, companyId: number, link: 'person_id' | 'org_id', id: number): Promise<DealRow[]> {
  const query = trx.selectFrom('deals').selectAll().where('company_id', '=', companyId).where(link, '=', id).where('deleted_time', 'is', null).orderBy('id');
  return lockedForUpdate(trx, query).execute();
}

/** Clears the link of every live deal linked to a person or an organization. */
export async function unlinkDeals(trx: Executor, companyId: number, link: 'person_id' | 'org_id', id: number, time: string): Promise<void> {
  await trx.updateTable('deals').set({ [link]: null, update_time: time }).where('company_id', '=', companyId).where(link, '=', id).where('deleted_time', 'is', null).execute();
}

/** The most recently added live deals of a person or organization the viewer may see, newest first (the update feeds). */
export async function recentLinkedDeals(db: Executor, companyId: number, link: 'person_id' | 'org_id', recordId: number, limit: number, viewer: RecordViewer): Promise<DealRow[]> {
  const query = db.selectFrom('deals').selectAll().where('company_id', '=', companyId).where(link, '=', recordId).where('deleted_time', 'is', null);
  return withVisibility(query, viewer, 'deals')
    .orderBy('add_time', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findDealsByIds(db: Executor, companyId: number, ids: number[]): Promise<DealRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('deals').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

/** Links every deal of one person to another (a merge); returns nothing, callers re-read what they need. */
export async function movePersonDeals(db: Executor, companyId: number, fromPersonId: number, toPersonId: number, time: string): Promise<void> {
  await db
    .updateTable('deals')
    .set({ person_id: toPersonId, update_time: time })
    .where('company_id', '=', companyId)
    .where('person_id', '=', fromPersonId)
    .where('deleted_time', 'is', null)
    .execute();
}

/** Deals past the retention window go for good. */
export async function purgeDeletedDeals(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('deals').where('deleted_time', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Moves the listed live deals of one person to another. */
export async function moveDealsByIds(db: Executor, companyId: number, ids: readonly number[], fromPersonId: number, toPersonId: number, time: string): Promise<void> {
  await repointPersonRows(db, 'deals', companyId, ids, fromPersonId, toPersonId, time);
}

/** Which of these live deals are linked to the person and organization and have the status, as far as each is given. */
export async function dealIdsMatching(
  db: Executor,
  companyId: number,
  ids: readonly number[],
  filter: { personId?: number; orgId?: number; status?: string },
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  let query = db.selectFrom('deals').select('id').where('company_id', '=', companyId).where('id', 'in', [...ids]).where('deleted_time', 'is', null);
  if (filter.personId !== undefined) query = query.where('person_id', '=', filter.personId);
  if (filter.orgId !== undefined) query = query.where('org_id', '=', filter.orgId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return new Set((await query.execute()).map((r) => r.id));
}

/** The live deals among the ids. */
export async function liveDeals(db: Executor, companyId: number, ids: readonly number[]): Promise<DealRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('deals').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).where('deleted_time', 'is', null).execute();
}
