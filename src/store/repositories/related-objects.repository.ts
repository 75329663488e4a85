import { gathersAcrossRequests } from '../coalesced-reads.js';
import type { Executor } from '../executor.js';
import { gatheredReads } from '../gathered-reads.js';
import { idIn, precompiledOverIds } from '../id-in.js';
import { rowsById } from '../rows-by-id.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import type { OrganizationRow } from './organizations.repository.js';
import type { PersonRow } from './persons.repository.js';
import type { UserRow } from './users.repository.js';
import { PERSON_ROW_COLUMNS } from '../person-row-columns.js';

/*
 * Batch lookups behind v1's `related_objects` (and v1 renderings that name an owner or organization): one query per
 * kind of object for a whole response, never one per item. Deleted persons and organizations are included, since
 * history refers to them (a merged-away person, an organization deleted later). Persons and organizations the
 * caller may not see are left out of what a caller is shown: the reference stays, its description does not.
 */

const usersById = rowsById<UserRow>('users');
const organizationsById = rowsById<OrganizationRow>('organizations');

/** The users, live or not (concurrent reads share a statement on PostgreSQL, see rows-by-id.ts). */
export async function usersByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return usersById.many(db, companyId, ids);
}

/**
 * The organizations, live or deleted; with a viewer, only those it may see. For readers who see every organization,
 * concurrent reads share a statement on PostgreSQL (see rows-by-id.ts).
 */
export async function organizationsByIds(db: Executor, companyId: number, ids: readonly number[], viewer?: RecordViewer): Promise<OrganizationRow[]> {
  if (ids.length === 0) return [];
  if (viewer === undefined || viewer.everything) return organizationsById.many(db, companyId, ids);
  const query = db.selectFrom('organizations').selectAll().where('company_id', '=', companyId).where('id', 'in', [...ids]);
  return withVisibility(query, viewer, 'organizations').execute();
}

/** The persons, live or deleted; with a viewer, only those it may see. */
export async function personsByIds(db: Executor, companyId: number, ids: readonly number[], viewer?: RecordViewer): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return withVisibility(db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('company_id', '=', companyId).where('id', 'in', [...ids]), viewer).execute();
}

/**
 * Live persons per organization; with a viewer, only those it may see (a count must not reveal hidden persons). For
 * readers who see every person the statement is built once, and on PostgreSQL shared by concurrent requests.
 */
export async function personCountsByOrganization(db: Executor, companyId: number, orgIds: readonly number[], viewer?: RecordViewer): Promise<Map<number, number>> {
  if (orgIds.length === 0) return new Map();
  if (viewer === undefined || viewer.everything) {
    const counts = await everyPeopleCount(db, orgIds.map((orgId) => ({ companyId, orgId })));
    return new Map(orgIds.map((orgId, i) => [orgId, counts[i]]));
  }
  const rows = await peopleCountQuery(db, companyId, orgIds, viewer).execute();
  return new Map(rows.map((r) => [r.org_id as number, Number(r.n)]));
}

function peopleCountQuery(db: Executor, companyId: number, orgIds: readonly number[], viewer: RecordViewer | undefined, asArray = false) {
  return withVisibility(db.selectFrom('persons'), viewer)
    .select((eb) => ['org_id', eb.fn.countAll<number>().as('n')])
    .where('company_id', '=', companyId)
    .where('deleted_time', 'is', null)
    .where(idIn('org_id', orgIds, asArray))
    .groupBy('org_id');
}

const peopleCountStatement = precompiledOverIds(
  (db, p: { companyId: number; orgIds: number[] }, asArray) => peopleCountQuery(db, p.companyId, p.orgIds, undefined, asArray),
  ['orgIds'],
);
const everyPeopleCount = gatheredReads<{ companyId: number; orgId: number }, number>(
  (key) => String(key.companyId),
  async (db, keys) => {
    const params = { companyId: keys[0].companyId, orgIds: [...new Set(keys.map((key) => key.orgId))] };
    const { rows } = await peopleCountStatement(db, params);
    const counts = new Map(rows.map((r) => [Number(r.org_id), Number(r.n)]));
    return keys.map((key) => counts.get(key.orgId) ?? 0);
  },
  { gathers: gathersAcrossRequests },
);
