import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { findOrganizationForShare } from '../../store/repositories/organizations.repository.js';
import { findPersonForShare } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import { findDeal } from '../../store/repositories/deals.repository.js';
import * as notes from '../../store/repositories/notes.repository.js';
import type { NoteRow } from '../../store/repositories/notes.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { type NoteListRequest, noteListQuery } from './note-list-request.js';
import { type NoteInput, type NoteValues, applyNoteInput } from './note-input.js';
import type { NoteNames } from './note-render.js';
import { noteNames } from './note-names.js';

export interface NotePage {
  rows: NoteRow[];
  names: NoteNames;
  start: number;
  limit: number;
  more: boolean;
}

/** v1 notes: HTML a user writes about a person, an organization or a deal, seen by whoever sees all of them. */
export class NotesService {
  constructor(
    private readonly db: Kysely<Database>,
    /** Run inside every note write's transaction (webhook outbox). */
    private readonly listeners: WriteListener<NoteRow>[] = [],
  ) {}

  async get(actor: Actor, id: number): Promise<{ row: NoteRow; names: NoteNames }> {
    const row = await notes.findNote(this.db, actor.companyId, id, await viewerOf(this.db, actor));
    if (!row) throw noteNotFound(id);
    return { row, names: await noteNames(this.db, actor.companyId, [row]) };
  }

  async list(actor: Actor, request: NoteListRequest): Promise<NotePage> {
    const { filter, page, limit } = noteListQuery(request);
    const rows = await notes.listNotes(this.db, actor.companyId, filter, page, await viewerOf(this.db, actor));
    const kept = rows.slice(0, limit);
    return { rows: kept, names: await noteNames(this.db, actor.companyId, kept), start: page.start, limit, more: rows.length > limit };
  }

  async create(actor: Actor, input: NoteInput): Promise<{ row: NoteRow; names: NoteNames }> {
    const now = nowStored();
    const row = await this.db.transaction().execute(async (trx) => {
      const blank: NoteValues = {
        content: '',
        person_id: null,
        org_id: null,
        deal_id: null,
        user_id: actor.userId,
        add_time: now,
        pinned_to_person_flag: 0,
        pinned_to_organization_flag: 0,
        pinned_to_deal_flag: 0,
      };
      const values = applyNoteInput(blank, input, true);
      await checkReferences(trx, actor, values, input, blank.user_id);
      const id = await notes.insertNote(trx, { company_id: actor.companyId, ...values, last_update_user_id: actor.userId, update_time: now, deleted_time: null });
      const after = (await notes.findNote(trx, actor.companyId, id)) as NoteRow;
      await notifyWrite(this.listeners, trx, { entity: 'note', action: 'create', actor, before: null, after });
      return after;
    });
    return { row, names: await noteNames(this.db, actor.companyId, [row]) };
  }

  async update(actor: Actor, id: number, input: NoteInput): Promise<{ row: NoteRow; names: NoteNames }> {
    const row = await this.db.transaction().execute(async (trx) => {
      const before = await notes.findNoteForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before) throw noteNotFound(id);
      const values = applyNoteInput(before, input, false);
      await checkReferences(trx, actor, values, input, before.user_id);
      await notes.updateNote(trx, actor.companyId, id, { ...values, last_update_user_id: actor.userId, update_time: nowStored() });
      const after = (await notes.findNote(trx, actor.companyId, id)) as NoteRow;
      await notifyWrite(this.listeners, trx, { entity: 'note', action: 'change', actor, before, after });
      return after;
    });
    return { row, names: await noteNames(this.db, actor.companyId, [row]) };
  }

  async remove(actor: Actor, id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const before = await notes.findNoteForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before || !(await notes.markNoteDeleted(trx, actor.companyId, id, nowStored()))) throw noteNotFound(id);
      await notifyWrite(this.listeners, trx, { entity: 'note', action: 'delete', actor, before, after: null });
    });
  }

  /**
   * Moves every live note of one person to another inside the caller's transaction (a merge: Pipedrive moves
   * notes to the survivor) and answers their ids for the merge journal.
   */
  async movePersonNotes(trx: Executor, actor: Actor, fromPersonId: number, toPersonId: number, time: string): Promise<number[]> {
    const moving = await notes.personNotesForUpdate(trx, actor.companyId, fromPersonId);
    await this.moveNotes(trx, actor, moving, fromPersonId, toPersonId, time);
    return moving.map((n) => n.id);
  }

  /** Moves every live note of one organization or deal to another inside the caller's transaction (a merge). */
  async moveRecordNotes(trx: Executor, actor: Actor, link: 'org_id' | 'deal_id', fromId: number, toId: number, time: string): Promise<void> {
    const moving = await notes.recordNotesForUpdate(trx, actor.companyId, link, fromId);
    await notes.moveRecordNotes(trx, actor.companyId, moving.map((n) => n.id), link, toId, time);
    for (const before of moving) {
      await notifyWrite(this.listeners, trx, { entity: 'note', action: 'change', actor, before, after: { ...before, [link]: toId, update_time: time } });
    }
  }

  /** Moves the listed notes back to a person (an unmerge), those still on `fromPersonId`; answers the ids moved. */
  async moveNotesBack(trx: Executor, actor: Actor, ids: readonly number[], fromPersonId: number, toPersonId: number, time: string): Promise<number[]> {
    const moving = (await notes.findNotesByIds(trx, actor.companyId, ids)).filter((n) => n.person_id === fromPersonId && n.deleted_time === null);
    await this.moveNotes(trx, actor, moving, fromPersonId, toPersonId, time);
    return moving.map((n) => n.id);
  }

  /**
   * A deleted person's notes: those attached to nothing else are deleted with it, the others stay on their
   * organization or deal without the person. Each is a write for the note listeners.
   */
  async personDeleted(trx: Executor, actor: Actor, personId: number): Promise<void> {
    const linked = await notes.personNotesForUpdate(trx, actor.companyId, personId);
    if (linked.length === 0) return;
    const now = nowStored();
    const orphans = linked.filter((n) => n.org_id === null && n.deal_id === null);
    const kept = linked.filter((n) => n.org_id !== null || n.deal_id !== null);
    await notes.markNotesDeleted(trx, actor.companyId, orphans.map((n) => n.id), now);
    await notes.unlinkNotesFromPerson(trx, actor.companyId, kept.map((n) => n.id), now);
    for (const before of orphans) await notifyWrite(this.listeners, trx, { entity: 'note', action: 'delete', actor, before, after: null });
    for (const before of kept) {
      const after = { ...before, person_id: null, pinned_to_person_flag: 0, update_time: now };
      await notifyWrite(this.listeners, trx, { entity: 'note', action: 'change', actor, before, after });
    }
  }

  private async moveNotes(trx: Executor, actor: Actor, moving: NoteRow[], fromPersonId: number, toPersonId: number, time: string): Promise<void> {
    if (moving.length === 0) return;
    await notes.moveNotes(trx, actor.companyId, moving.map((n) => n.id), fromPersonId, toPersonId, time);
    for (const before of moving) {
      await notifyWrite(this.listeners, trx, { entity: 'note', action: 'change', actor, before, after: { ...before, person_id: toPersonId, update_time: time } });
    }
  }
}

/** A person write listener: a deleted person's notes go with it, or stay on their other links (see personDeleted). */
export function notesOnPersonDelete<Row extends { id: number }>(service: NotesService): WriteListener<Row> {
  return (trx, event) => (event.action === 'delete' && event.before ? service.personDeleted(trx, event.actor, event.before.id) : Promise.resolve());
}

/** A note the caller may not see answers like one that does not exist. */
function noteNotFound(id: number) {
  return notFound('Note not found', `No note with id ${id} exists in this company.`);
}

/**
 * Links must be live records of the company the caller sees (share-locked, so a concurrent delete waits); a new
 * author must be an active user, and only an admin may name someone else.
 */
async function checkReferences(db: Executor, actor: Actor, values: NoteValues, input: NoteInput, author: number): Promise<void> {
  if (input.user_id !== undefined && input.user_id !== author) {
    if (!actor.isAdmin) throw forbidden('Only an admin can change the author of a note');
    const user = await findUser(db, actor.companyId, input.user_id);
    if (!user || user.active_flag !== 1) throw invalid(`user_id ${input.user_id} is not an active user of this company`);
  }
  const viewer = await viewerOf(db, actor);
  if (input.person_id != null && !(await findPersonForShare(db, actor.companyId, input.person_id, viewer))) {
    throw invalid(`person_id ${input.person_id} is not a person of this company`);
  }
  if (input.org_id != null && !(await findOrganizationForShare(db, actor.companyId, input.org_id, viewer))) {
    throw invalid(`org_id ${input.org_id} is not an organization of this company`);
  }
  if (input.deal_id != null && !(await findDeal(db, actor.companyId, input.deal_id, viewer))) {
    throw invalid(`deal_id ${values.deal_id} is not a deal of this company`);
  }
}
