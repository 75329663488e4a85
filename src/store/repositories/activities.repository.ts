import { type ExpressionBuilder, type Insertable, type Selectable, type Updateable, sql } from 'kysely';
import { dialectOf } from '../dialect/index.js';
import type { Executor } from '../executor.js';
import type { FilterPredicate } from '../filters/filter-predicate.js';
import { predicateSql } from '../filters/predicate-sql.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import { type RecordViewer, linkedRecordsVisibleTo } from '../record-visibility.js';
import { gathersAcrossRequests } from '../coalesced-reads.js';
import { gatheredReads } from '../gathered-reads.js';
import { idIn, precompiledOverIds } from '../id-in.js';
import { lockedForUpdate } from '../row-lock.js';
import { markDeleted } from '../soft-delete.js';
import type { ActivitiesTable, Database } from '../schema.js';

export type ActivityRow = Selectable<ActivitiesTable>;
export type NewActivityRow = Insertable<ActivitiesTable>;
export type ActivityChanges = Updateable<ActivitiesTable>;

export interface ActivityListFilter {
  ids?: number[];
  ownerId?: number;
  personId?: number;
  orgId?: number;
  dealId?: number;
  done?: 0 | 1;
  /** Type keys (v1's `type`). */
  types?: string[];
  /** due_date from / to, inclusive (YYYY-MM-DD). */
  dueFrom?: string;
  dueTo?: string;
  /** Ids left out (v1's `exclude`). */
  exclude?: number[];
  updatedSince?: string;
  updatedUntil?: string;
  /** A saved activity filter's conditions (`filter_id`). */
  predicate?: FilterPredicate;
}

function withActivityVisibility<Q extends { where(expression: (eb: ExpressionBuilder<Database, 'activities'>) => unknown): Q }>(query: Q, viewer: RecordViewer | undefined): Q {
  return viewer === undefined || viewer.everything ? query : query.where(linkedRecordsVisibleTo('activities', viewer) as never);
}

function liveActivities(db: Executor, companyId: number) {
  return db.selectFrom('activities').selectAll('activities').where('activities.company_id', '=', companyId).where('activities.deleted_time', 'is', null);
}

/** The live activity; with a viewer, only when the viewer may see it (without one: internal reads). */
export async function findActivity(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<ActivityRow | undefined> {
  return withActivityVisibility(liveActivities(db, companyId).where('activities.id', '=', id), viewer).executeTakeFirst();
}

/** The live activity, locked against other writers until the transaction ends. */
export async function findActivityForUpdate(trx: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<ActivityRow | undefined> {
  return lockedForUpdate(trx, withActivityVisibility(liveActivities(trx, companyId).where('activities.id', '=', id), viewer)).executeTakeFirst();
}

/** The listed live activities the viewer may see, locked (a bulk delete). */
export async function findActivitiesForUpdate(trx: Executor, companyId: number, ids: readonly number[], viewer: RecordViewer): Promise<ActivityRow[]> {
  if (ids.length === 0) return [];
  return lockedForUpdate(trx, withActivityVisibility(liveActivities(trx, companyId).where('activities.id', 'in', [...ids]), viewer).orderBy('activities.id')).execute();
}

export async function insertActivity(db: Executor, row: NewActivityRow): Promise<number> {
  return (await db.insertInto('activities').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateActivity(db: Executor, companyId: number, id: number, changes: ActivityChanges): Promise<void> {
  await db.updateTable('activities').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export function markActivityDeleted(db: Executor, companyId: number, id: number, time: string): Promise<boolean> {
  return markDeleted(db, 'activities', companyId, id, time);
}

function filteredActivities(db: Executor, companyId: number, filter: ActivityListFilter, viewer: RecordViewer) {
  let query = withActivityVisibility(liveActivities(db, companyId), viewer);
  if (filter.ids !== undefined) query = query.where('activities.id', 'in', filter.ids.length > 0 ? filter.ids : [0]);
  if (filter.ownerId !== undefined) query = query.where('activities.owner_id', '=', filter.ownerId);
  if (filter.personId !== undefined) query = query.where('activities.person_id', '=', filter.personId);
  if (filter.orgId !== undefined) query = query.where('activities.org_id', '=', filter.orgId);
  if (filter.dealId !== undefined) query = query.where('activities.deal_id', '=', filter.dealId);
  if (filter.done !== undefined) query = query.where('activities.done', '=', filter.done);
  if (filter.types !== undefined && filter.types.length > 0) query = query.where('activities.type', 'in', filter.types);
  if (filter.dueFrom !== undefined) query = query.where('activities.due_date', '>=', filter.dueFrom);
  if (filter.dueTo !== undefined) query = query.where('activities.due_date', '<=', filter.dueTo);
  if (filter.exclude !== undefined && filter.exclude.length > 0) query = query.where('activities.id', 'not in', filter.exclude);
  if (filter.updatedSince !== undefined) query = query.where('activities.update_time', '>=', filter.updatedSince);
  if (filter.updatedUntil !== undefined) query = query.where('activities.update_time', '<', filter.updatedUntil);
  if (filter.predicate) query = query.where(predicateSql(dialectOf(db), 'activities', filter.predicate, viewer));
  return query;
}

/** A cursor page (v2) of the live activities the viewer may see. */
export async function listActivities(db: Executor, companyId: number, filter: ActivityListFilter, page: KeysetPage, viewer: RecordViewer): Promise<ActivityRow[]> {
  return keysetPage(filteredActivities(db, companyId, filter, viewer), page).execute();
}

/** An offset page (v1), one row more than asked, by due date and time (all-day ones first on their day), then id. */
export async function listActivitiesByOffset(
  db: Executor,
  companyId: number,
  filter: ActivityListFilter,
  page: { start: number; limit: number },
  viewer: RecordViewer,
): Promise<ActivityRow[]> {
  return filteredActivities(db, companyId, filter, viewer)
    .orderBy('activities.due_date')
    .orderBy(sql`coalesce(activities.due_time, '')`)
    .orderBy('activities.id')
    .offset(page.start)
    .limit(page.limit + 1)
    .execute();
}

/** The newest live activities of a person, organization or deal the viewer may see, newest first (the update feeds). */
export async function recentLinkedActivities(db: Executor, companyId: number, link: ActivityLink, recordId: number, limit: number, viewer: RecordViewer): Promise<ActivityRow[]> {
  return withActivityVisibility(liveActivities(db, companyId).where(`activities.${link}`, '=', recordId), viewer)
    .orderBy('activities.add_time', 'desc')
    .orderBy('activities.id', 'desc')
    .limit(limit)
    .execute();
}

/** The records whose activities are counted, by the activity column that links them. */
export type ActivityLink = 'person_id' | 'org_id' | 'deal_id';
const LINKED_TABLE = { person_id: 'persons', org_id: 'organizations', deal_id: 'deals' } as const;

export interface ActivityTally {
  key: number;
  total: number;
  done: number;
  next_id: number | null;
  last_id: number | null;
}

/**
 * For a page of persons, organizations or deals, in one query: how many live activities each has (those the viewer
 * may see), how many are done, the earliest undone one by due date and time (all-day first on its day) and the
 * latest done one.
 */
export async function tallyActivities(db: Executor, companyId: number, link: ActivityLink, keys: readonly number[], viewer: RecordViewer): Promise<ActivityTally[]> {
  if (keys.length === 0) return [];
  const rows = viewer.everything
    ? (await everyTally(db, keys.map((id) => ({ companyId, link, id })))).filter((row) => row !== undefined)
    : await tallyQuery(db, companyId, link, keys, viewer).execute();
  const id = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({ key: Number(r.key), total: Number(r.total ?? 0), done: Number(r.done ?? 0), next_id: id(r.next_id), last_id: id(r.last_id) }));
}

interface TallyKey {
  companyId: number;
  link: ActivityLink;
  id: number;
}
type TallyRow = Awaited<ReturnType<ReturnType<typeof tallyQuery>['execute']>>[number];

/**
 * Tallies with no visibility condition, whose text depends only on the link (PostgreSQL: the keys are one array) or
 * the number of keys (SQLite): built once per shape, where building its four subqueries was about a tenth of a v1
 * GET's CPU. On PostgreSQL the keys of concurrent requests share one statement (gathered-reads.ts).
 */
const everyTally = gatheredReads<TallyKey, TallyRow | undefined>(
  (key) => `${key.companyId} ${key.link}`,
  async (db, keys) => {
    const { companyId, link } = keys[0];
    const ids = [...new Set(keys.map((key) => key.id))];
    const { rows } = await tallyStatement(link)(db, { companyId, ids });
    const byId = new Map(rows.map((row) => [Number(row.key), row]));
    return keys.map((key) => byId.get(key.id));
  },
  { gathers: gathersAcrossRequests },
);

const precompiledTally = (link: ActivityLink) =>
  precompiledOverIds((db, p: { companyId: number; ids: number[] }, asArray) => tallyQuery(db, p.companyId, link, p.ids, undefined, asArray), ['ids']);
const tallies = new Map<ActivityLink, ReturnType<typeof precompiledTally>>();

function tallyStatement(link: ActivityLink) {
  let statement = tallies.get(link);
  if (statement === undefined) tallies.set(link, (statement = precompiledTally(link)));
  return statement;
}

/**
 * Per linked record: its live activities, those done, and the next undone and last done one, as four subqueries.
 * `asArray` (PostgreSQL): the keys as one array value, so any number of them makes the same text.
 */
function tallyQuery(db: Executor, companyId: number, link: ActivityLink, keys: readonly number[], viewer: RecordViewer | undefined, asArray = false) {
  const own = () =>
    withActivityVisibility(
      db.selectFrom('activities').where('activities.company_id', '=', companyId).where('activities.deleted_time', 'is', null).where(`activities.${link}`, '=', sql.ref<number>('r.id')),
      viewer,
    );
  const due = sql`coalesce(activities.due_time, '')`;
  return db
    .selectFrom(`${LINKED_TABLE[link]} as r` as 'persons as r')
    .select((eb) => [
      'r.id as key',
      own().select(eb.fn.countAll<number>().as('n')).as('total'),
      own().where('activities.done', '=', 1).select(eb.fn.countAll<number>().as('n')).as('done'),
      own().where('activities.done', '=', 0).select('activities.id').orderBy('activities.due_date').orderBy(due).orderBy('activities.id').limit(1).as('next_id'),
      own().where('activities.done', '=', 1).select('activities.id').orderBy('activities.due_date', 'desc').orderBy(due, 'desc').orderBy('activities.id', 'desc').limit(1).as('last_id'),
    ])
    .where('r.company_id', '=', companyId)
    .where(idIn('r.id', keys, asArray));
}

/**
 * The live activities a person takes part in without being their primary participant, locked, oldest first. The
 * participants are JSON text as rendered, so `"person_id":<id>,` finds the person's entry on both dialects.
 */
export async function activitiesWithParticipantForUpdate(trx: Executor, companyId: number, personId: number): Promise<ActivityRow[]> {
  return lockedForUpdate(
    trx,
    liveActivities(trx, companyId)
      .where('activities.participants', 'like', `%"person_id":${Math.trunc(personId)},%`)
      .where((eb) => eb.or([eb('activities.person_id', 'is', null), eb('activities.person_id', '!=', personId)]))
      .orderBy('activities.id'),
  ).execute();
}

/** The live activities linked to a person, locked, oldest first. */
/** The live activities of an organization or deal, locked, oldest first (a merge moves them). */
export async function recordActivitiesForUpdate(trx: Executor, companyId: number, link: 'org_id' | 'deal_id', recordId: number): Promise<ActivityRow[]> {
  return lockedForUpdate(trx, liveActivities(trx, companyId).where(`activities.${link}`, '=', recordId).orderBy('activities.id')).execute();
}

export async function personActivitiesForUpdate(trx: Executor, companyId: number, personId: number): Promise<ActivityRow[]> {
  return lockedForUpdate(trx, liveActivities(trx, companyId).where('activities.person_id', '=', personId).orderBy('activities.id')).execute();
}

export async function findActivitiesByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<ActivityRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('activities').selectAll().where('company_id', '=', companyId).where('id', 'in', [...ids]).orderBy('id').execute();
}

/** Deletes the listed live activities (their person was deleted and they were linked to nothing else). */
export async function markActivitiesDeleted(db: Executor, companyId: number, ids: readonly number[], time: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('activities').set({ deleted_time: time, update_time: time }).where('company_id', '=', companyId).where('id', 'in', [...ids]).where('deleted_time', 'is', null).execute();
}

/** Activities past the retention window go for good. */
export async function purgeDeletedActivities(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('activities').where('deleted_time', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
