import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import { lockedForUpdate } from '../row-lock.js';
import type { PersonMergesTable } from '../schema.js';
import { PERSON_ROW_COLUMNS } from '../person-row-columns.js';

export type PersonMergeRow = Selectable<PersonMergesTable>;
export type NewPersonMergeRow = Insertable<PersonMergesTable>;

export async function insertMergeJournal(db: Executor, row: NewPersonMergeRow): Promise<void> {
  await db.insertInto('person_merges').values(row).execute();
}

/**
 * The latest merge not undone yet (locked until the transaction ends), made since `since`, in which the person survived or was merged away
 * (optionally: the one that merged `mergedId` away).
 */
export async function findUndoableMerge(db: Executor, companyId: number, personId: number, since: string, mergedId?: number): Promise<PersonMergeRow | undefined> {
  let query = db
    .selectFrom('person_merges')
    .selectAll()
    .where('company_id', '=', companyId)
    .where((eb) => eb.or([eb('survivor_id', '=', personId), eb('merged_id', '=', personId)]))
    .where('undone_time', 'is', null)
    .where('time', '>=', since);
  if (mergedId !== undefined) query = query.where('merged_id', '=', mergedId);
  // Locked, so two unmerges of one merge on PostgreSQL run one after the other and the second finds it undone.
  return lockedForUpdate(db, query.orderBy('id', 'desc').limit(1)).executeTakeFirst();
}

export async function markMergeUndone(db: Executor, companyId: number, id: number, time: string): Promise<void> {
  await db.updateTable('person_merges').set({ undone_time: time }).where('company_id', '=', companyId).where('id', '=', id).execute();
}

/** A person's follower rows (user and since when), for the journal. */
export async function followerRowsOf(db: Executor, companyId: number, personId: number): Promise<Array<{ user_id: number; add_time: string }>> {
  return db.selectFrom('person_followers').select(['user_id', 'add_time']).where('company_id', '=', companyId).where('person_id', '=', personId).orderBy('id').execute();
}

/** Moves a user's follower row from one person to another, keeping its id and add_time; false when there is none. */
export async function moveFollowerRow(db: Executor, companyId: number, userId: number, fromPersonId: number, toPersonId: number): Promise<boolean> {
  const result = await db
    .updateTable('person_followers')
    .set({ person_id: toPersonId })
    .where('company_id', '=', companyId)
    .where('person_id', '=', fromPersonId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A person, deleted or not (the merged-away side of a merge is deleted). */
export async function findAnyPerson(db: Executor, companyId: number, id: number) {
  return db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** Brings a deleted person back with these columns. */
export async function restorePersonRow(db: Executor, companyId: number, id: number, columns: Record<string, unknown>): Promise<void> {
  await db.updateTable('persons').set({ ...columns, deleted_time: null }).where('company_id', '=', companyId).where('id', '=', id).execute();
}
