import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import type { NoteCommentsTable } from '../schema.js';

export type NoteCommentRow = Selectable<NoteCommentsTable>;

/** A page of a note's comments, oldest first (`take` rows from `start`). */
export async function listNoteComments(db: Executor, companyId: number, noteId: number, start: number, take: number): Promise<NoteCommentRow[]> {
  return db
    .selectFrom('note_comments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('note_id', '=', noteId)
    .orderBy('id')
    .limit(take)
    .offset(start)
    .execute();
}

export async function findNoteComment(db: Executor, companyId: number, noteId: number, uuid: string): Promise<NoteCommentRow | undefined> {
  return db.selectFrom('note_comments').selectAll().where('company_id', '=', companyId).where('note_id', '=', noteId).where('uuid', '=', uuid).executeTakeFirst();
}

export async function insertNoteComment(db: Executor, row: Insertable<NoteCommentsTable>): Promise<void> {
  await db.insertInto('note_comments').values(row).execute();
}

export async function updateNoteComment(db: Executor, id: number, changes: { content: string; updater_id: number; update_time: string }): Promise<void> {
  await db.updateTable('note_comments').set(changes).where('id', '=', id).execute();
}

export async function deleteNoteComment(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('note_comments').where('id', '=', id).execute();
}
