import { sql } from 'kysely';
import { coalescedById, gathersAcrossRequests } from '../coalesced-reads.js';
import { dialectOf } from '../dialect/index.js';
import type { Executor } from '../executor.js';
import { gatheredReads } from '../gathered-reads.js';
import { idIn } from '../id-in.js';
import { precompiled } from '../precompiled.js';
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

const userById = precompiled((db, p: { companyId: number; id: number }) => db.selectFrom('users').selectAll().where('company_id', '=', p.companyId).where('id', '=', p.id));
const usersById = coalescedById<UserRow>(
  async (db, companyId, id) => (await userById(db, { companyId, id })).rows[0],
  async (db, companyId, ids) =>
    dialectOf(db).name === 'postgres'
      ? (await usersByIdList(db, { companyId, ids })).rows
      : db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute(),
);
// PostgreSQL only: one statement text for any number of ids.
const usersByIdList = precompiled((db, p: { companyId: number; ids: number[] }) =>
  db.selectFrom('users').selectAll().where(sql<boolean>`id = any(${p.ids}::integer[])`).where('company_id', '=', p.companyId),
);

/** Concurrent reads share a statement on PostgreSQL (coalesced-reads.ts): a v1 GET names its person's owner. */
export async function usersByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return usersById.many(db, companyId, ids);
}

const organizationById = precompiled((db, p: { companyId: number; id: number }) => db.selectFrom('organizations').selectAll().where('company_id', '=', p.companyId).where('id', '=', p.id));
// PostgreSQL only: one statement text for any number of ids.
const organizationsByIdList = precompiled((db, p: { companyId: number; ids: number[] }) =>
  db.selectFrom('organizations').selectAll().where(sql<boolean>`id = any(${p.ids}::integer[])`).where('company_id', '=', p.companyId),
);
const organizationsById = coalescedById<OrganizationRow>(
  async (db, companyId, id) => (await organizationById(db, { companyId, id })).rows[0],
  async (db, companyId, ids) =>
    dialectOf(db).name === 'postgres'
      ? (await organizationsByIdList(db, { companyId, ids })).rows
      : db.selectFrom('organizations').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute(),
);

/**
 * The organizations, live or deleted; with a viewer, only those it may see. For readers who see every organization,
 * concurrent reads share a statement on PostgreSQL (coalesced-reads.ts): a v1 person names its organization.
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

const peopleCountByArray = precompiled((db, p: { companyId: number; orgIds: number[] }) => peopleCountQuery(db, p.companyId, p.orgIds, undefined, true));
const peopleCountByList = precompiled((db, p: { companyId: number; orgIds: number[] }) => peopleCountQuery(db, p.companyId, p.orgIds, undefined), {
  shape: (p) => String(p.orgIds.length),
  spread: ['orgIds'],
});
const everyPeopleCount = gatheredReads<{ companyId: number; orgId: number }, number>(
  (key) => String(key.companyId),
  async (db, keys) => {
    const params = { companyId: keys[0].companyId, orgIds: [...new Set(keys.map((key) => key.orgId))] };
    const { rows } = dialectOf(db).name === 'postgres' ? await peopleCountByArray(db, params) : await peopleCountByList(db, params);
    const counts = new Map(rows.map((r) => [Number(r.org_id), Number(r.n)]));
    return keys.map((key) => counts.get(key.orgId) ?? 0);
  },
  { gathers: gathersAcrossRequests },
);
