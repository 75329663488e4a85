import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../executor.js';
import { markDeleted } from '../soft-delete.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import { lockedForUpdate } from '../row-lock.js';
import { rowsById } from '../rows-by-id.js';
import type { OrganizationsTable } from '../schema.js';
import { dialectOf } from '../dialect/index.js';
import type { FilterPredicate } from '../filters/filter-predicate.js';
import { predicateSql } from '../filters/predicate-sql.js';
import { lockedForShare } from '../row-lock.js';

export type OrganizationRow = Selectable<OrganizationsTable>;

export interface OrganizationListFilter {
  ids?: number[];
  ownerId?: number;
  updatedSince?: string;
  updatedUntil?: string;
  /** A saved filter's conditions (filter_id), evaluated in SQL. */
  predicate?: FilterPredicate;
}

/** Reads by id of readers who see every organization (rows-by-id.ts). */
const organizationsById = rowsById<OrganizationRow>('organizations', { live: true });

/** The live organization; with a viewer, only when the viewer may see it (without one: internal reads). */
export async function findOrganization(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<OrganizationRow | undefined> {
  if (viewer === undefined || viewer.everything) return organizationsById.one(db, companyId, id);
  const query = db.selectFrom('organizations').selectAll().where('id', '=', id).where('company_id', '=', companyId).where('deleted_time', 'is', null);
  return withVisibility(query, viewer, 'organizations').executeTakeFirst();
}

/** The live organization, locked against other writers until the transaction ends; for read-modify-write. */
export async function findOrganizationForUpdate(trx: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<OrganizationRow | undefined> {
  const query = trx.selectFrom('organizations').selectAll().where('id', '=', id).where('company_id', '=', companyId).where('deleted_time', 'is', null);
  return lockedForUpdate(trx, withVisibility(query, viewer, 'organizations')).executeTakeFirst();
}

export async function insertOrganization(db: Executor, row: Insertable<OrganizationsTable>): Promise<number> {
  const inserted = await db.insertInto('organizations').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateOrganization(
  db: Executor,
  companyId: number,
  id: number,
  changes: Updateable<OrganizationsTable>,
): Promise<void> {
  await db.updateTable('organizations').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export function markOrganizationDeleted(db: Executor, companyId: number, id: number, time: string): Promise<boolean> {
  return markDeleted(db, 'organizations', companyId, id, time);
}

export async function listOrganizations(
  db: Executor,
  companyId: number,
  filter: OrganizationListFilter,
  page: KeysetPage,
  viewer?: RecordViewer,
): Promise<OrganizationRow[]> {
  let query = withVisibility(db.selectFrom('organizations').selectAll().where('company_id', '=', companyId).where('deleted_time', 'is', null), viewer, 'organizations');
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  if (filter.updatedSince !== undefined) query = query.where('update_time', '>=', filter.updatedSince);
  if (filter.updatedUntil !== undefined) query = query.where('update_time', '<', filter.updatedUntil);
  if (filter.predicate) query = query.where(predicateSql(dialectOf(db), 'organizations', filter.predicate, viewer));
  return keysetPage(query, page).execute();
}

/** Organizations past the retention window go for good; persons that pointed at them lose the link first. */
export async function purgeDeletedOrganizations(db: Executor, before: string): Promise<number> {
  const doomed = db.selectFrom('organizations').select('id').where('deleted_time', '<', before);
  await db.updateTable('persons').set({ org_id: null }).where('org_id', 'in', doomed).execute();
  const result = await db.deleteFrom('organizations').where('deleted_time', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The live organization (with a viewer, only one it may see), share-locked until the transaction ends, for a write that links a person to it. */
export async function findOrganizationForShare(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<OrganizationRow | undefined> {
  const query = db.selectFrom('organizations').selectAll().where('id', '=', id).where('company_id', '=', companyId).where('deleted_time', 'is', null);
  return lockedForShare(db, withVisibility(query, viewer, 'organizations')).executeTakeFirst();
}

/** The live organizations among the ids. */
export async function liveOrganizations(db: Executor, companyId: number, ids: readonly number[]): Promise<OrganizationRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', 'in', ids)
    .where('deleted_time', 'is', null)
    .execute();
}
