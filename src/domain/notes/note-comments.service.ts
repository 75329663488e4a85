import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as comments from '../../store/repositories/note-comments.repository.js';
import type { NoteCommentRow } from '../../store/repositories/note-comments.repository.js';
import { findNote, findNoteForUpdate } from '../../store/repositories/notes.repository.js';
import type { Executor } from '../../store/executor.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { nowStored, toV1Time } from '../time.js';
import { MAX_NOTE_CONTENT, sanitizeNoteContent } from './note-content.js';

/**
 * Comments on a note (`/v1/notes/{id}/comments`): whoever sees the note reads and adds them; only their author or
 * an admin edits or deletes one. Content is sanitised as a note's is.
 */
export class NoteCommentsService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(actor: Actor, noteId: number, start: number, limit: number): Promise<{ rows: NoteCommentRow[]; start: number; limit: number; more: boolean }> {
    await this.visibleNote(this.db, actor, noteId);
    const rows = await comments.listNoteComments(this.db, actor.companyId, noteId, start, limit + 1);
    return { rows: rows.slice(0, limit), start, limit, more: rows.length > limit };
  }

  async get(actor: Actor, noteId: number, uuid: string): Promise<NoteCommentRow> {
    await this.visibleNote(this.db, actor, noteId);
    return this.comment(this.db, actor, noteId, uuid);
  }

  async add(actor: Actor, noteId: number, html: string): Promise<NoteCommentRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.visibleNote(trx, actor, noteId, true);
      const now = nowStored();
      const uuid = randomUUID();
      const content = commentContent(html);
      await comments.insertNoteComment(trx, { uuid, company_id: actor.companyId, note_id: noteId, user_id: actor.userId, updater_id: null, content, add_time: now, update_time: now });
      return this.comment(trx, actor, noteId, uuid);
    });
  }

  async update(actor: Actor, noteId: number, uuid: string, html: string): Promise<NoteCommentRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.visibleNote(trx, actor, noteId, true);
      const before = await this.ownComment(trx, actor, noteId, uuid);
      await comments.updateNoteComment(trx, before.id, { content: commentContent(html), updater_id: actor.userId, update_time: nowStored() });
      return this.comment(trx, actor, noteId, uuid);
    });
  }

  async remove(actor: Actor, noteId: number, uuid: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.visibleNote(trx, actor, noteId, true);
      await comments.deleteNoteComment(trx, (await this.ownComment(trx, actor, noteId, uuid)).id);
    });
  }

  private async visibleNote(db: Executor, actor: Actor, noteId: number, lock = false): Promise<void> {
    const viewer = await viewerOf(db, actor);
    const note = lock ? await findNoteForUpdate(db, actor.companyId, noteId, viewer) : await findNote(db, actor.companyId, noteId, viewer);
    if (!note) throw notFound('Note not found', `No note with id ${noteId} exists in this company.`);
  }

  private async comment(db: Executor, actor: Actor, noteId: number, uuid: string): Promise<NoteCommentRow> {
    const row = await comments.findNoteComment(db, actor.companyId, noteId, uuid);
    if (!row) throw notFound('Comment not found', `Note ${noteId} has no comment ${uuid}.`);
    return row;
  }

  private async ownComment(db: Executor, actor: Actor, noteId: number, uuid: string): Promise<NoteCommentRow> {
    const row = await this.comment(db, actor, noteId, uuid);
    if (row.user_id !== actor.userId && !actor.isAdmin) throw forbidden('Only the author of a comment or an admin can change it');
    return row;
  }
}

/** A comment in v1's shape: it belongs to an object (always a note here), named by a string id. */
export function renderNoteCommentV1(row: NoteCommentRow): Record<string, unknown> {
  return {
    uuid: row.uuid,
    active_flag: true,
    add_time: toV1Time(row.add_time),
    update_time: toV1Time(row.update_time),
    content: row.content,
    object_id: String(row.note_id),
    object_type: 'note',
    user_id: row.user_id,
    updater_id: row.updater_id,
    company_id: row.company_id,
  };
}

function commentContent(html: string): string {
  if (html.length > MAX_NOTE_CONTENT) throw invalid(`content may be at most ${MAX_NOTE_CONTENT} characters`);
  const content = sanitizeNoteContent(html);
  if (content.trim() === '') throw invalid('content is empty', 'A comment needs some text once scripts and other unsafe HTML are removed.');
  return content;
}
