import { type ExpressionBuilder, type Insertable, type Selectable, type Updateable, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { idIn } from '../id-in.js';
import { repointPersonRows } from './person-links.repository.js';
import { type RecordViewer, linkedRecordsVisibleTo } from '../record-visibility.js';
import { lockedForUpdate } from '../row-lock.js';
import { markDeleted } from '../soft-delete.js';
import type { Database, NotesTable } from '../schema.js';

export type NoteRow = Selectable<NotesTable>;
export type NewNoteRow = Insertable<NotesTable>;
export type NoteChanges = Updateable<NotesTable>;

export const NOTE_SORT_FIELDS = ['id', 'user_id', 'deal_id', 'person_id', 'org_id', 'content', 'add_time', 'update_time'] as const;
export type NoteSortField = (typeof NOTE_SORT_FIELDS)[number];
export type NotePinFlag = 'pinned_to_person_flag' | 'pinned_to_organization_flag' | 'pinned_to_deal_flag';

export interface NoteListFilter {
  userId?: number;
  personId?: number;
  orgId?: number;
  dealId?: number;
  /** Stored times: add_time at or after / before. */
  addedFrom?: string;
  addedBefore?: string;
  updatedSince?: string;
  pinned?: Partial<Record<NotePinFlag, 0 | 1>>;
}

export interface NoteListPage {
  sort: { field: NoteSortField; direction: 'asc' | 'desc' }[];
  start: number;
  /** Rows to read: the page's limit plus one, to learn whether more follow. */
  take: number;
}

function withNoteVisibility<Q extends { where(expression: (eb: ExpressionBuilder<Database, 'notes'>) => unknown): Q }>(query: Q, viewer: RecordViewer | undefined): Q {
  return viewer === undefined || viewer.everything ? query : query.where(linkedRecordsVisibleTo('notes', viewer) as never);
}

function liveNotes(db: Executor, companyId: number) {
  return db.selectFrom('notes').selectAll('notes').where('notes.company_id', '=', companyId).where('notes.deleted_time', 'is', null);
}

/** The live note; with a viewer, only when the viewer may see it (without one: internal reads). */
export async function findNote(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<NoteRow | undefined> {
  return withNoteVisibility(liveNotes(db, companyId).where('notes.id', '=', id), viewer).executeTakeFirst();
}

/** The live note, locked against other writers until the transaction ends. */
export async function findNoteForUpdate(trx: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<NoteRow | undefined> {
  return lockedForUpdate(trx, withNoteVisibility(liveNotes(trx, companyId).where('notes.id', '=', id), viewer)).executeTakeFirst();
}

export async function insertNote(db: Executor, row: NewNoteRow): Promise<number> {
  return (await db.insertInto('notes').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateNote(db: Executor, companyId: number, id: number, changes: NoteChanges): Promise<void> {
  await db.updateTable('notes').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export function markNoteDeleted(db: Executor, companyId: number, id: number, time: string): Promise<boolean> {
  return markDeleted(db, 'notes', companyId, id, time);
}

/** A page of the live notes the viewer may see, in the requested order (ties by id). */
export async function listNotes(db: Executor, companyId: number, filter: NoteListFilter, page: NoteListPage, viewer: RecordViewer): Promise<NoteRow[]> {
  let query = withNoteVisibility(liveNotes(db, companyId), viewer);
  if (filter.userId !== undefined) query = query.where('notes.user_id', '=', filter.userId);
  if (filter.personId !== undefined) query = query.where('notes.person_id', '=', filter.personId);
  if (filter.orgId !== undefined) query = query.where('notes.org_id', '=', filter.orgId);
  if (filter.dealId !== undefined) query = query.where('notes.deal_id', '=', filter.dealId);
  if (filter.addedFrom !== undefined) query = query.where('notes.add_time', '>=', filter.addedFrom);
  if (filter.addedBefore !== undefined) query = query.where('notes.add_time', '<', filter.addedBefore);
  if (filter.updatedSince !== undefined) query = query.where('notes.update_time', '>=', filter.updatedSince);
  for (const [flag, value] of Object.entries(filter.pinned ?? {})) query = query.where(`notes.${flag as NotePinFlag}`, '=', value as number);
  // NULL sorts as the smallest value on both dialects (PostgreSQL's default is the largest).
  for (const { field, direction } of page.sort) query = query.orderBy(`notes.${field}`, (ob) => (direction === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast()));
  if (!page.sort.some((s) => s.field === 'id')) query = query.orderBy('notes.id', 'asc');
  return query.limit(page.take).offset(page.start).execute();
}

/** The newest live notes of a person, organization or deal the viewer may see, newest first (the update feeds). */
export async function recentLinkedNotes(db: Executor, companyId: number, link: 'person_id' | 'org_id' | 'deal_id', recordId: number, limit: number, viewer: RecordViewer): Promise<NoteRow[]> {
  return withNoteVisibility(liveNotes(db, companyId).where(`notes.${link}`, '=', recordId), viewer)
    .orderBy('notes.add_time', 'desc')
    .orderBy('notes.id', 'desc')
    .limit(limit)
    .execute();
}

/** How many live notes the viewer may see each person has, for a page of persons in one grouped query. */
export function countPersonNotesQuery(db: Executor, companyId: number, personIds: number[], viewer: RecordViewer, asArray = false) {
  return withNoteVisibility(
    db
      .selectFrom('notes')
      .select((eb) => [sql<string>`'notes'`.as('kind'), eb.ref('notes.person_id').$castTo<number>().as('key'), sql<string | null>`null`.as('status'), eb.fn.countAll<number>().as('n')])
      .where('notes.company_id', '=', companyId)
      .where('notes.deleted_time', 'is', null)
      .where(idIn('notes.person_id', personIds, asArray))
      .groupBy('notes.person_id'),
    viewer,
  );
}

/** How many live notes the viewer may see each organization or deal has, for a page of them in one grouped query. */
export async function countLinkedNotes(db: Executor, companyId: number, link: 'org_id' | 'deal_id', ids: readonly number[], viewer: RecordViewer): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await withNoteVisibility(
    db
      .selectFrom('notes')
      .select((eb) => [eb.ref(`notes.${link}`).as('key'), eb.fn.countAll<number>().as('n')])
      .where('notes.company_id', '=', companyId)
      .where('notes.deleted_time', 'is', null)
      .where(`notes.${link}`, 'in', [...ids])
      .groupBy(`notes.${link}`),
    viewer,
  ).execute();
  return new Map(rows.map((r) => [Number(r.key), Number(r.n)]));
}

/** The live notes attached to an organization, locked, oldest first. */
export async function recordNotesForUpdate(trx: Executor, companyId: number, link: 'org_id' | 'deal_id', recordId: number): Promise<NoteRow[]> {
  return lockedForUpdate(trx, liveNotes(trx, companyId).where(`notes.${link}`, '=', recordId).orderBy('notes.id')).execute();
}

/** Attaches the listed notes to another organization or deal (a merge). */
export async function moveRecordNotes(db: Executor, companyId: number, ids: readonly number[], link: 'org_id' | 'deal_id', toId: number, time: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('notes').set({ [link]: toId, update_time: time }).where('company_id', '=', companyId).where('id', 'in', [...ids]).execute();
}

/** The live notes attached to a person, locked, oldest first. */
export async function personNotesForUpdate(trx: Executor, companyId: number, personId: number): Promise<NoteRow[]> {
  return lockedForUpdate(trx, liveNotes(trx, companyId).where('notes.person_id', '=', personId).orderBy('notes.id')).execute();
}

export async function findNotesByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<NoteRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('notes').selectAll().where('company_id', '=', companyId).where('id', 'in', [...ids]).orderBy('id').execute();
}

/** Attaches the listed live notes of one person to another (a merge, or an unmerge moving them back). */
export async function moveNotes(db: Executor, companyId: number, ids: readonly number[], fromPersonId: number, toPersonId: number, time: string): Promise<void> {
  await repointPersonRows(db, 'notes', companyId, ids, fromPersonId, toPersonId, time);
}

/** Deletes the listed live notes (their person was deleted and they were attached to nothing else). */
export async function markNotesDeleted(db: Executor, companyId: number, ids: readonly number[], time: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('notes').set({ deleted_time: time, update_time: time }).where('company_id', '=', companyId).where('id', 'in', [...ids]).where('deleted_time', 'is', null).execute();
}

/** Detaches the listed live notes from their person (they stay on their organization or deal). */
export async function unlinkNotesFromPerson(db: Executor, companyId: number, ids: readonly number[], time: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notes')
    .set({ person_id: null, pinned_to_person_flag: 0, update_time: time })
    .where('company_id', '=', companyId)
    .where('id', 'in', [...ids])
    .where('deleted_time', 'is', null)
    .execute();
}

/** Notes past the retention window go for good. */
export async function purgeDeletedNotes(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('notes').where('deleted_time', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
