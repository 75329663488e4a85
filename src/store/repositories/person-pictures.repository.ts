import type { Executor } from '../executor.js';

/** A picture without its image bytes. */
export interface PictureMeta {
  id: number;
  company_id: number;
  person_id: number;
  added_by_user_id: number;
  file_size: number;
  add_time: string;
  update_time: string;
}

const META_COLUMNS = ['id', 'company_id', 'person_id', 'added_by_user_id', 'file_size', 'add_time', 'update_time'] as const;

export async function insertPicture(
  db: Executor,
  row: Omit<PictureMeta, 'id'> & { image_128: Buffer; image_512: Buffer },
): Promise<number> {
  const inserted = await db.insertInto('person_pictures').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findPicture(db: Executor, companyId: number, id: number): Promise<PictureMeta | undefined> {
  return db.selectFrom('person_pictures').select(META_COLUMNS).where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** Several pictures at once (a page of v1 persons). */
export async function findPictures(db: Executor, companyId: number, ids: readonly number[]): Promise<PictureMeta[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('person_pictures').select(META_COLUMNS).where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

/** One size of a picture's image bytes. */
export async function findPictureImage(db: Executor, companyId: number, id: number, size: 128 | 512): Promise<Buffer | undefined> {
  const column = size === 128 ? 'image_128' : 'image_512';
  const row = await db.selectFrom('person_pictures').select(column).where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : (row as Record<typeof column, Buffer>)[column];
}

/** Removes every picture of a person but `keepId`. */
export async function deletePersonPictures(db: Executor, companyId: number, personId: number, keepId?: number): Promise<void> {
  let query = db.deleteFrom('person_pictures').where('company_id', '=', companyId).where('person_id', '=', personId);
  if (keepId !== undefined) query = query.where('id', '!=', keepId);
  await query.execute();
}

/** Hands a picture to another person (a merge). */
export async function movePicture(db: Executor, companyId: number, id: number, toPersonId: number, time: string): Promise<void> {
  await db.updateTable('person_pictures').set({ person_id: toPersonId, update_time: time }).where('company_id', '=', companyId).where('id', '=', id).execute();
}
