import { now as clockNow } from '../clock.js';
import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { findDealsByIds } from '../../store/repositories/deals.repository.js';
import { insertFollower } from '../../store/repositories/person-followers.repository.js';
import {
  type PersonMergeRow,
  findAnyPerson,
  findUndoableMerge,
  markMergeUndone,
  moveFollowerRow,
  restorePersonRow,
} from '../../store/repositories/person-merges.repository.js';
import { findOrganizationForShare } from '../../store/repositories/organizations.repository.js';
import { movePicture } from '../../store/repositories/person-pictures.repository.js';
import * as persons from '../../store/repositories/persons.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { DealsService } from '../deals/deals.service.js';
import type { NotesService } from '../notes/notes.service.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import { moveActivitiesBack } from '../activities/activity-person-links.js';
import { DomainError, notFound } from '../errors.js';
import { writeIdentity } from '../identity/identity-writes.js';
import type { IdentitySettings } from '../identity/identity-settings.js';
import { RETENTION_DAYS } from '../purge.js';
import { nowStored, toStoredTime } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { type RepointedReference, restoreReferences } from './person-references.js';
import { valuesFromRow } from '../person-model/person-row.js';
import type { NotRestored } from './not-restored.js';


export interface UnmergeResult {
  survivor: PersonRow;
  restored: PersonRow;
  notRestored: NotRestored[];
}

// The person columns an unmerge gives back to the survivor (each unless edited since the merge).
const RESTORED_COLUMNS = [
  'name', 'first_name', 'last_name', 'owner_id', 'org_id', 'visible_to', 'label_ids', 'emails', 'phones', 'im',
  'postal_address', 'notes', 'birthday', 'job_title', 'add_time',
] as const;

/**
 * `POST /api/v2/persons/{id}/unmerge` (personsd extension): undoes the latest merge the person took part in,
 * within the 30 days the merged-away person is kept. The merged person comes back as it was; the survivor gets
 * back each field the merge changed unless it was edited since (those edits stay, and are reported); deals,
 * followers and the picture that moved go back unless they were moved again since, and so do other persons'
 * people-field references the merge repointed, unless changed since.
 */
export class PersonUnmergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly personListeners: WriteListener<PersonRow>[],
    private readonly deals: DealsService,
    private readonly identity: IdentitySettings,
    private readonly notes?: NotesService,
    private readonly activities?: ActivitiesService,
  ) {}

  async unmerge(actor: Actor, personId: number, mergedId?: number): Promise<UnmergeResult> {
    return this.db.transaction().execute(async (trx) => {
      const now = nowStored();
      const since = toStoredTime(new Date(clockNow() - RETENTION_DAYS * 86_400_000));
      const journal = await findUndoableMerge(trx, actor.companyId, personId, since, mergedId);
      if (!journal) {
        throw notFound('No merge to undo', `Person ${personId} took part in no merge of the last ${RETENTION_DAYS} days that is not undone yet${mergedId === undefined ? '' : ` with merged_id ${mergedId}`}.`);
      }
      const mergedBefore = JSON.parse(journal.merged_before) as PersonRow;
      // The organization before the persons, in the order an organization's delete locks them (it unlinks its
      // persons): persons never link to a deleted organization, so the restored one does not either.
      const orgGone = mergedBefore.org_id !== null && !(await findOrganizationForShare(trx, actor.companyId, mergedBefore.org_id));
      const viewer = await viewerOf(trx, actor);
      const current = await persons.findPersonForUpdate(trx, actor.companyId, journal.survivor_id, viewer);
      if (!current) {
        const any = await findAnyPerson(trx, actor.companyId, journal.survivor_id);
        if (!any || any.deleted_time === null) throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
        throw conflict(`Person ${journal.survivor_id}, which person ${journal.merged_id} was merged into, has been deleted or merged away since; undo that first`);
      }
      const mergedNow = await findAnyPerson(trx, actor.companyId, journal.merged_id);
      if (!mergedNow || mergedNow.deleted_time === null) throw conflict(`Person ${journal.merged_id} is no longer merged away`);
      const { region } = await this.identity.of(trx, actor.companyId);
      const notRestored: NotRestored[] = [];

      const survivorChanges = survivorRestore(journal, current, notRestored);
      const picture = await this.pictureBack(trx, actor, journal, current, now, notRestored);
      await persons.updatePerson(trx, actor.companyId, current.id, { ...survivorChanges, ...picture.survivor, update_time: now });
      const survivor = (await persons.findPerson(trx, actor.companyId, current.id)) as PersonRow;
      await writeIdentity(trx, actor.companyId, survivor.id, valuesFromRow(survivor), region);

      const { id: _id, company_id: _company, deleted_time: _deleted, ...mergedColumns } = mergedBefore;
      if (orgGone) notRestored.push({ field: `person ${journal.merged_id} org_id`, reason: `organization ${mergedColumns.org_id} was deleted since the merge` });
      await restorePersonRow(trx, actor.companyId, journal.merged_id, { ...mergedColumns, ...(orgGone && { org_id: null }), ...picture.merged, update_time: now });
      const restored = (await findAnyPerson(trx, actor.companyId, journal.merged_id)) as PersonRow;
      await writeIdentity(trx, actor.companyId, restored.id, valuesFromRow(restored), region);

      await this.dealsBack(trx, actor, journal, now, notRestored);
      await this.notesBack(trx, actor, journal, now, notRestored);
      await this.activitiesBack(trx, actor, journal, now, notRestored);
      await followersBack(trx, actor, journal, notRestored);
      if (journal.repointed_references !== null) {
        const references = JSON.parse(journal.repointed_references) as RepointedReference[];
        notRestored.push(...(await restoreReferences(trx, actor, viewer, this.personListeners, references, { merged: journal.merged_id, survivor: journal.survivor_id }, now)));
      }
      await markMergeUndone(trx, actor.companyId, journal.id, now);
      await notifyWrite(this.personListeners, trx, { entity: 'person', action: 'change', actor, before: current, after: survivor });
      await notifyWrite(this.personListeners, trx, { entity: 'person', action: 'create', actor, before: null, after: restored });
      return { survivor, restored, notRestored };
    });
  }

  /** The picture goes back to the merged person if the merge moved it and the survivor still has it. */
  private async pictureBack(trx: Executor, actor: Actor, journal: PersonMergeRow, current: PersonRow, now: string, notRestored: NotRestored[]) {
    const moved = journal.moved_picture_id;
    if (moved === null) return { survivor: {}, merged: {} };
    if (current.picture_id !== moved) {
      notRestored.push({ field: 'picture_id', reason: `the survivor's picture was changed since the merge; picture ${moved} stays where it is` });
      return { survivor: {}, merged: { picture_id: null } };
    }
    await movePicture(trx, actor.companyId, moved, journal.merged_id, now);
    return { survivor: { picture_id: null }, merged: { picture_id: moved } };
  }

  /** Activities the merge moved go back as notes do. */
  private async activitiesBack(trx: Executor, actor: Actor, journal: PersonMergeRow, now: string, notRestored: NotRestored[]): Promise<void> {
    if (!this.activities || journal.moved_activity_ids === null) return;
    const ids = JSON.parse(journal.moved_activity_ids) as number[];
    const back = new Set(await moveActivitiesBack(trx, this.activities, actor, ids, journal.survivor_id, journal.merged_id, now));
    for (const id of ids) if (!back.has(id)) notRestored.push({ field: `activity ${id}`, reason: 'moved to another record or deleted since the merge; left as it is' });
  }

  /** Notes the merge moved go back to the restored person, those still on the survivor (others were moved or deleted since). */
  private async notesBack(trx: Executor, actor: Actor, journal: PersonMergeRow, now: string, notRestored: NotRestored[]): Promise<void> {
    if (!this.notes || journal.moved_note_ids === null) return;
    const ids = JSON.parse(journal.moved_note_ids) as number[];
    const back = new Set(await this.notes.moveNotesBack(trx, actor, ids, journal.survivor_id, journal.merged_id, now));
    for (const id of ids) if (!back.has(id)) notRestored.push({ field: `note ${id}`, reason: 'moved to another record or deleted since the merge; left as it is' });
  }

  private async dealsBack(trx: Executor, actor: Actor, journal: PersonMergeRow, now: string, notRestored: NotRestored[]): Promise<void> {
    const ids = JSON.parse(journal.moved_deal_ids) as number[];
    const deals = await findDealsByIds(trx, actor.companyId, ids);
    const back: number[] = [];
    for (const id of ids) {
      const deal = deals.find((d) => d.id === id);
      if (deal && deal.person_id === journal.survivor_id && deal.deleted_time === null) back.push(id);
      else notRestored.push({ field: `deal ${id}`, reason: deal && deal.deleted_time === null ? 'linked to another person since the merge; left there' : 'deleted since the merge' });
    }
    await this.deals.moveDeals(trx, actor, back, journal.survivor_id, journal.merged_id, now);
  }
}

/**
 * The survivor's columns as they were before the merge, for each one the merge changed and nobody edited since;
 * custom fields key by key. Edited ones are kept and reported.
 */
function survivorRestore(journal: PersonMergeRow, current: PersonRow, notRestored: NotRestored[]): Record<string, unknown> {
  const before = JSON.parse(journal.survivor_before) as PersonRow;
  const after = JSON.parse(journal.survivor_after) as PersonRow;
  const changes: Record<string, unknown> = {};
  const restore = <K extends keyof PersonRow>(column: K) => {
    if (before[column] === after[column]) return;
    if (current[column] === after[column]) changes[column] = before[column];
    else notRestored.push({ field: column, reason: 'edited since the merge; the edit is kept' });
  };
  for (const column of RESTORED_COLUMNS) restore(column);
  if (before.marketing_status !== after.marketing_status || before.marketing_status_changed !== after.marketing_status_changed) {
    if (current.marketing_status === after.marketing_status && current.marketing_status_changed === after.marketing_status_changed) {
      changes.marketing_status = before.marketing_status;
      changes.marketing_status_changed = before.marketing_status_changed;
    } else {
      notRestored.push({ field: 'marketing_status', reason: 'edited since the merge; the edit is kept' });
    }
  }
  const customBefore = JSON.parse(before.custom_fields) as Record<string, unknown>;
  const customAfter = JSON.parse(after.custom_fields) as Record<string, unknown>;
  const customNow = JSON.parse(current.custom_fields) as Record<string, unknown>;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  let customChanged = false;
  for (const key of new Set([...Object.keys(customBefore), ...Object.keys(customAfter)])) {
    if (same(customBefore[key], customAfter[key])) continue;
    if (!same(customNow[key], customAfter[key])) {
      notRestored.push({ field: `custom_fields.${key}`, reason: 'edited since the merge; the edit is kept' });
      continue;
    }
    customChanged = true;
    if (customBefore[key] === undefined) delete customNow[key];
    else customNow[key] = customBefore[key];
  }
  if (customChanged) changes.custom_fields = JSON.stringify(customNow);
  return changes;
}

/**
 * The merged person gets its followers back: rows the merge moved to the survivor move back (a user who stopped
 * following the survivor since follows the merged person again, and that is reported), and rows the merge dropped
 * because the user followed both are written again.
 */
async function followersBack(trx: Executor, actor: Actor, journal: PersonMergeRow, notRestored: NotRestored[]): Promise<void> {
  const followers = JSON.parse(journal.merged_followers) as Array<{ user_id: number; add_time: string }>;
  const moved = new Set(JSON.parse(journal.added_follower_ids) as number[]);
  for (const follower of followers) {
    if (moved.has(follower.user_id) && (await moveFollowerRow(trx, actor.companyId, follower.user_id, journal.survivor_id, journal.merged_id))) continue;
    if (moved.has(follower.user_id)) notRestored.push({ field: `follower ${follower.user_id}`, reason: 'stopped following the survivor since the merge; follows the restored person again' });
    await insertFollower(trx, { company_id: actor.companyId, person_id: journal.merged_id, user_id: follower.user_id, add_time: follower.add_time });
  }
}

function conflict(message: string): DomainError {
  return new DomainError('conflict', message, 'Unmerge undoes the latest merge first; later merges and deletions have to be undone before.');
}
