import type { Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import type { RecordFollowerChangesTable, RecordFollowersTable } from '../schema.js';

export type RecordFollowerRow = Selectable<RecordFollowersTable>;
export type RecordFollowerChangeRow = Selectable<RecordFollowerChangesTable>;

/** Which record a follower follows: the link column of `record_followers` (and of its changelog). */
export type FollowedLink = 'org_id' | 'deal_id';

export async function listRecordFollowersPage(db: Executor, companyId: number, link: FollowedLink, recordId: number, page: KeysetPage): Promise<RecordFollowerRow[]> {
  const query = db.selectFrom('record_followers').selectAll().where('company_id', '=', companyId).where(link, '=', recordId);
  return keysetPage(query, page).execute();
}

/** Offset paging for v1, one row more than asked to tell whether more follow. */
export async function listRecordFollowersFrom(db: Executor, companyId: number, link: FollowedLink, recordId: number, start: number, limit: number): Promise<RecordFollowerRow[]> {
  return db
    .selectFrom('record_followers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(link, '=', recordId)
    .orderBy('id')
    .limit(limit + 1)
    .offset(start)
    .execute();
}

export async function findRecordFollower(
  db: Executor,
  companyId: number,
  link: FollowedLink,
  recordId: number,
  by: { userId: number } | { id: number },
): Promise<RecordFollowerRow | undefined> {
  const query = db.selectFrom('record_followers').selectAll().where('company_id', '=', companyId).where(link, '=', recordId);
  return ('id' in by ? query.where('id', '=', by.id) : query.where('user_id', '=', by.userId)).executeTakeFirst();
}

/** Adds the follower unless the user already follows the record; returns the new row's id, or undefined. */
export async function insertRecordFollower(
  db: Executor,
  companyId: number,
  link: FollowedLink,
  recordId: number,
  userId: number,
  time: string,
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('record_followers')
    .values({ company_id: companyId, org_id: link === 'org_id' ? recordId : null, deal_id: link === 'deal_id' ? recordId : null, user_id: userId, add_time: time })
    .onConflict((oc) => oc.columns([link, 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function deleteRecordFollower(db: Executor, companyId: number, id: number): Promise<void> {
  await db.deleteFrom('record_followers').where('company_id', '=', companyId).where('id', '=', id).execute();
}

export async function insertRecordFollowerChange(
  db: Executor,
  companyId: number,
  link: FollowedLink,
  recordId: number,
  change: { action: 'added' | 'removed'; actor_user_id: number; follower_user_id: number; time: string },
): Promise<void> {
  await db
    .insertInto('record_follower_changes')
    .values({ company_id: companyId, org_id: link === 'org_id' ? recordId : null, deal_id: link === 'deal_id' ? recordId : null, ...change })
    .execute();
}

export async function listRecordFollowerChangesPage(
  db: Executor,
  companyId: number,
  link: FollowedLink,
  recordId: number,
  page: KeysetPage,
): Promise<RecordFollowerChangeRow[]> {
  const query = db.selectFrom('record_follower_changes').selectAll().where('company_id', '=', companyId).where(link, '=', recordId);
  return keysetPage(query, page).execute();
}

/** How many users follow each of these organizations or deals, in one grouped query. */
export async function countRecordFollowers(db: Executor, companyId: number, link: FollowedLink, recordIds: readonly number[]): Promise<Map<number, number>> {
  if (recordIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('record_followers')
    .select((eb) => [eb.ref(link).as('key'), eb.fn.countAll<number>().as('n')])
    .where('company_id', '=', companyId)
    .where(link, 'in', [...recordIds])
    .groupBy(link)
    .execute();
  return new Map(rows.map((r) => [Number(r.key), Number(r.n)]));
}
