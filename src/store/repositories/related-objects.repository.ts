import type { Executor } from '../executor.js';
import type { OrganizationRow } from './organizations.repository.js';
import type { PersonRow } from './persons.repository.js';
import type { UserRow } from './users.repository.js';

/*
 * Batch lookups behind v1's `related_objects` (and v1 renderings that name an owner or organization): one query per
 * kind of object for a whole response, never one per item. Deleted persons and organizations are included, since
 * history refers to them (a merged-away person, an organization deleted later).
 */

export async function usersByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
}

export async function organizationsByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<OrganizationRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('organizations').selectAll().where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
}

export async function personsByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').selectAll().where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
}

/** Live persons per organization. */
export async function personCountsByOrganization(db: Executor, companyId: number, orgIds: readonly number[]): Promise<Map<number, number>> {
  if (orgIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('persons')
    .select((eb) => ['org_id', eb.fn.countAll<number>().as('n')])
    .where('company_id', '=', companyId)
    .where('deleted_time', 'is', null)
    .where('org_id', 'in', [...orgIds])
    .groupBy('org_id')
    .execute();
  return new Map(rows.map((r) => [r.org_id as number, Number(r.n)]));
}
