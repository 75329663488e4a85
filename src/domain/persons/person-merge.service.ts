import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { insertPersonChanges } from '../../store/repositories/person-changes.repository.js';
import { moveFollowers } from '../../store/repositories/person-followers.repository.js';
import { findPicture, movePicture } from '../../store/repositories/person-pictures.repository.js';
import * as persons from '../../store/repositories/persons.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { organizationsByIds, personsByIds, usersByIds } from '../../store/repositories/related-objects.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { DealsService } from '../deals/deals.service.js';
import type { NotesService } from '../notes/notes.service.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import { movePersonActivities } from '../activities/activity-person-links.js';
import { invalid, notFound } from '../errors.js';
import { loadPersonFields } from '../person-fields/definitions.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { PERSON_COUNT_FIELDS, countPersonRelations } from './person-counts.js';
import { HISTORY, historyEntry } from './history-entries.js';
import { mergePersonValues } from './merge-values.js';
import type { PersonV1Context } from './person-render-v1.js';
import { columnsFromValues, valuesFromRow } from '../person-model/person-row.js';
import { type MergeFieldSource, mergeSources } from './merge-field-sources.js';
import { peopleFieldKeys, repointReferences, repointValues } from './person-references.js';
import { writeIdentity } from '../identity/identity-writes.js';
import { IdentitySettings } from '../identity/identity-settings.js';
import { listPersonDeals } from '../../store/repositories/deals.repository.js';
import { followerRowsOf, insertMergeJournal } from '../../store/repositories/person-merges.repository.js';
import { viewerOf } from '../access/visibility.js';

export interface MergeResult {
  survivor: PersonRow;
  mergedId: number;
  context: PersonV1Context;
  /** The merged person field by field with the source of each value. */
  sources: MergeFieldSource[];
}

/** Carries a dry run's result out of the transaction it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly result: MergeResult) {
    super('merge dry run');
  }
}

/**
 * `PUT /v1/persons/{id}/merge`: the person `{id}` is merged into `merge_with_id`, which survives. One transaction
 * covers the survivor's new values, the deals, notes, followers and picture that move, other persons' people fields that
 * named the merged person (they name the survivor after), the merged person's deletion, the journal an unmerge
 * restores from, and every listener (history, webhook outbox), so a failure anywhere leaves both persons as they
 * were. A dry run is the same transaction rolled back, so it shows exactly what the merge would do.
 */
export class PersonMergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly personListeners: WriteListener<PersonRow>[],
    private readonly deals: DealsService,
    private readonly identity: IdentitySettings = new IdentitySettings(db, undefined),
    private readonly notes?: NotesService,
    private readonly activities?: ActivitiesService,
  ) {}

  async merge(actor: Actor, mergedId: number, survivorId: number, options: { dryRun?: boolean } = {}): Promise<MergeResult> {
    if (mergedId === survivorId) throw invalid(`merge_with_id must name another person; a person cannot be merged with itself (${mergedId})`);
    try {
      const { survivor, sources } = await this.db.transaction().execute(async (trx) => {
        const merged = await this.mergeIn(trx, actor, mergedId, survivorId);
        if (options.dryRun) {
          const context = await loadPersonV1Context(trx, actor, merged.survivor);
          throw new DryRunRollback({ ...merged, mergedId, context });
        }
        return merged;
      });
      return { survivor, mergedId, sources, context: await loadPersonV1Context(this.db, actor, survivor) };
    } catch (err) {
      if (err instanceof DryRunRollback) return err.result;
      throw err;
    }
  }

  private async mergeIn(trx: Executor, actor: Actor, mergedId: number, survivorId: number): Promise<{ survivor: PersonRow; sources: MergeFieldSource[] }> {
    const viewer = await viewerOf(trx, actor);
    // Both rows stay locked until commit, taken lower id first so that two merges of one pair cannot deadlock.
    const locked = new Map<number, PersonRow | undefined>();
    for (const id of [Math.min(mergedId, survivorId), Math.max(mergedId, survivorId)]) {
      locked.set(id, await persons.findPersonForUpdate(trx, actor.companyId, id, viewer));
    }
    const merged = locked.get(mergedId);
    if (!merged) throw notFound('Person not found', `No person with id ${mergedId} exists in this company.`);
    const before = locked.get(survivorId);
    if (!before) throw await unusableSurvivor(trx, actor, survivorId);
    const now = nowStored();
    const { region } = await this.identity.of(trx, actor.companyId);

    const survivorValues = valuesFromRow(before);
    const mergedValues = valuesFromRow(merged);
    const values = mergePersonValues(survivorValues, mergedValues, now, region);
    const peopleKeys = peopleFieldKeys(await loadPersonFields(trx, actor.companyId));
    // The survivor's own references to the merged person name the survivor too (an unmerge restores them with its fields).
    repointValues(values.custom_fields, peopleKeys, mergedId, survivorId);
    await persons.updatePerson(trx, actor.companyId, survivorId, columnsFromValues(values));
    await writeIdentity(trx, actor.companyId, survivorId, values, region);
    const movedPicture = before.picture_id === null && merged.picture_id !== null ? merged.picture_id : null;
    if (movedPicture !== null) {
      await movePicture(trx, actor.companyId, movedPicture, survivorId, now);
      await persons.updatePerson(trx, actor.companyId, survivorId, { picture_id: movedPicture });
    }
    const after = (await persons.findPerson(trx, actor.companyId, survivorId)) as PersonRow;
    await notifyWrite(this.personListeners, trx, { entity: 'person', action: 'merge', actor, before, after, mergedFromId: mergedId });

    const movedDeals = await listPersonDeals(trx, actor.companyId, mergedId);
    const mergedFollowers = await followerRowsOf(trx, actor.companyId, mergedId);
    await this.deals.movePersonDeals(trx, actor, mergedId, survivorId, now);
    // Pipedrive moves a merged person's notes to the survivor.
    const movedNotes = this.notes ? await this.notes.movePersonNotes(trx, actor, mergedId, survivorId, now) : [];
    const movedActivities = this.activities ? await movePersonActivities(trx, this.activities, actor, mergedId, survivorId, now) : [];
    const newFollowers = await moveFollowers(trx, actor.companyId, mergedId, survivorId);
    await insertPersonChanges(trx, newFollowers.map((userId) => historyEntry(actor, survivorId, HISTORY.followerAdded, { related_id: userId })));
    const repointed = await repointReferences(trx, actor, this.personListeners, peopleKeys, { merged: mergedId, survivor: survivorId }, now);

    await persons.markPersonDeleted(trx, actor.companyId, mergedId, now);
    await notifyWrite(this.personListeners, trx, { entity: 'person', action: 'delete', actor, before: merged, after: null, mergedToId: survivorId });

    const sources = mergeSources({ survivor: survivorId, merged: mergedId }, survivorValues, mergedValues, values, { survivor: before.picture_id, merged: merged.picture_id }, region);
    await insertMergeJournal(trx, {
      company_id: actor.companyId,
      survivor_id: survivorId,
      merged_id: mergedId,
      actor_user_id: actor.userId,
      survivor_before: JSON.stringify(before),
      merged_before: JSON.stringify(merged),
      survivor_after: JSON.stringify(after),
      moved_deal_ids: JSON.stringify(movedDeals.map((d) => d.id)),
      moved_note_ids: JSON.stringify(movedNotes),
      moved_activity_ids: JSON.stringify(movedActivities),
      merged_followers: JSON.stringify(mergedFollowers),
      added_follower_ids: JSON.stringify(newFollowers),
      moved_picture_id: movedPicture,
      sources: JSON.stringify(sources),
      repointed_references: JSON.stringify(repointed),
      time: now,
      undone_time: null,
    });
    return { survivor: after, sources };
  }
}

/** Why `merge_with_id` cannot survive a merge: it is deleted, or not a person of this company at all. */
async function unusableSurvivor(db: Executor, actor: Actor, survivorId: number) {
  const [any] = await personsByIds(db, actor.companyId, [survivorId]);
  // A live person the actor may not see is answered like a missing one: its existence is not for them to learn.
  if (any && any.deleted_time !== null) return invalid(`merge_with_id ${survivorId} is a deleted person; only a live person can be merged with`);
  return invalid(`merge_with_id ${survivorId} is not a person of this company`);
}

/**
 * The names, counts, picture and field definitions a v1 person shows, read in a handful of queries; the
 * organization's name only when the actor may see the organization.
 */
export async function loadPersonV1Context(db: Executor, actor: Actor, row: PersonRow): Promise<PersonV1Context> {
  const companyId = actor.companyId;
  const viewer = await viewerOf(db, actor);
  const [counts, owners, orgs, picture, fields] = await Promise.all([
    countPersonRelations(db, actor, [row], new Set(PERSON_COUNT_FIELDS)),
    usersByIds(db, companyId, [row.owner_id]),
    row.org_id === null ? Promise.resolve([]) : organizationsByIds(db, companyId, [row.org_id], viewer),
    row.picture_id === null ? Promise.resolve(undefined) : findPicture(db, companyId, row.picture_id),
    loadPersonFields(db, companyId),
  ]);
  return {
    counts: counts.get(row.id) as PersonV1Context['counts'],
    ownerName: owners[0]?.name ?? null,
    orgName: orgs[0]?.name ?? null,
    picture: picture ?? null,
    fields,
  };
}
