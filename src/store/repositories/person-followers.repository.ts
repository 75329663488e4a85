import type { Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import type { PersonFollowersTable } from '../schema.js';

export type FollowerRow = Selectable<PersonFollowersTable>;

export async function listFollowersPage(db: Executor, companyId: number, personId: number, page: KeysetPage): Promise<FollowerRow[]> {
  const query = db.selectFrom('person_followers').selectAll().where('company_id', '=', companyId).where('person_id', '=', personId);
  return keysetPage(query, page).execute();
}

/** Offset paging for v1, one row more than asked to tell whether more follow. */
export async function listFollowersFrom(db: Executor, companyId: number, personId: number, start: number, limit: number): Promise<FollowerRow[]> {
  return db
    .selectFrom('person_followers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .orderBy('id')
    .limit(limit + 1)
    .offset(start)
    .execute();
}

export async function followerUserIds(db: Executor, companyId: number, personId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('person_followers')
    .select('user_id')
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function findFollowerByUser(db: Executor, companyId: number, personId: number, userId: number): Promise<FollowerRow | undefined> {
  return db
    .selectFrom('person_followers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findFollowerById(db: Executor, companyId: number, personId: number, id: number): Promise<FollowerRow | undefined> {
  return db
    .selectFrom('person_followers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Adds the follower unless the user already follows the person; returns the new row's id, or undefined. */
export async function insertFollower(
  db: Executor,
  row: { company_id: number; person_id: number; user_id: number; add_time: string },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('person_followers')
    .values(row)
    .onConflict((oc) => oc.columns(['person_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function deleteFollower(db: Executor, companyId: number, id: number): Promise<void> {
  await db.deleteFrom('person_followers').where('company_id', '=', companyId).where('id', '=', id).execute();
}

/**
 * Hands a person's followers to another person (a merge): users who already follow the other person keep their
 * own row, the rest move. Returns the user ids that moved.
 */
export async function moveFollowers(db: Executor, companyId: number, fromPersonId: number, toPersonId: number): Promise<number[]> {
  const already = db.selectFrom('person_followers').select('user_id').where('person_id', '=', toPersonId);
  const moving = await db
    .selectFrom('person_followers')
    .select('user_id')
    .where('company_id', '=', companyId)
    .where('person_id', '=', fromPersonId)
    .where('user_id', 'not in', already)
    .orderBy('id')
    .execute();
  if (moving.length > 0) {
    await db
      .updateTable('person_followers')
      .set({ person_id: toPersonId })
      .where('company_id', '=', companyId)
      .where('person_id', '=', fromPersonId)
      .where('user_id', 'in', moving.map((m) => m.user_id))
      .execute();
  }
  await db.deleteFrom('person_followers').where('company_id', '=', companyId).where('person_id', '=', fromPersonId).execute();
  return moving.map((m) => m.user_id);
}
