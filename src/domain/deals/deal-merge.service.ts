import type { Kysely } from 'kysely';
import * as deals from '../../store/repositories/deals.repository.js';
import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import { moveRecordActivities } from '../activities/activity-person-links.js';
import type { Actor } from '../actor.js';
import { invalid, notFound } from '../errors.js';
import { lockInIdOrder } from '../lock-order.js';
import type { NotesService } from '../notes/notes.service.js';
import { moveRecordFollowers } from '../record-followers/record-follower-merge.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';

/**
 * PUT /v1/deals/{id}/merge: deal `id` is merged into `merge_with_id`, which survives and whose values win. The
 * survivor's empty person, organization, expected close date, labels and custom values are filled from the merged
 * deal; its activities, notes and followers move to the survivor; and it is deleted, all in one transaction. Every
 * moved record is a change for its own listeners (history, webhooks), by the merging user; the deal webhooks tell a
 * merge as Pipedrive does (the survivor's change with `merged_from_id`, the merged deal's delete with `merged_to_id`).
 */
export class DealMergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dealListeners: WriteListener<DealRow>[],
    private readonly activities: ActivitiesService,
    private readonly notes: NotesService,
  ) {}

  async merge(actor: Actor, id: number, mergeWithId: number): Promise<DealRow> {
    return this.db.transaction().execute(async (trx) => {
      const viewer = await viewerOf(trx, actor);
      const locked = await lockInIdOrder([id, mergeWithId], (dealId) => deals.findDealForUpdate(trx, actor.companyId, dealId, viewer));
      const merged = locked.get(id);
      if (!merged) throw notFound('Deal not found', `No deal with id ${id} exists in this company.`);
      if (id === mergeWithId) throw invalid('merge_with_id must name another deal than the one merged');
      const survivor = locked.get(mergeWithId);
      if (!survivor) throw invalid(`merge_with_id ${mergeWithId} is not a deal of this company`);

      const now = nowStored();
      await moveRecordActivities(trx, this.activities, actor, 'deal_id', id, mergeWithId, now);
      await this.notes.moveRecordNotes(trx, actor, 'deal_id', id, mergeWithId, now);
      await moveRecordFollowers(trx, actor, 'deal_id', id, mergeWithId, now);

      await deals.updateDeal(trx, actor.companyId, mergeWithId, { ...filledFrom(survivor, merged), update_time: now });
      const after = (await deals.findDeal(trx, actor.companyId, mergeWithId)) as DealRow;
      await notifyWrite(this.dealListeners, trx, { entity: 'deal', action: 'merge', actor, before: survivor, after, mergedFromId: id });
      await deals.markDealDeleted(trx, actor.companyId, id, now);
      await notifyWrite(this.dealListeners, trx, { entity: 'deal', action: 'delete', actor, before: merged, after: null, mergedToId: mergeWithId });
      return after;
    });
  }
}

/** The survivor's empty values the merged deal fills: links, the expected close date, labels, custom values. */
function filledFrom(survivor: DealRow, merged: DealRow): Partial<DealRow> {
  const custom = JSON.parse(survivor.custom_fields) as Record<string, unknown>;
  const missing = Object.entries(JSON.parse(merged.custom_fields) as Record<string, unknown>).filter(([key, value]) => (custom[key] ?? null) === null && value !== null);
  for (const [key, value] of missing) custom[key] = value;
  return {
    ...(survivor.person_id === null && merged.person_id !== null && { person_id: merged.person_id }),
    ...(survivor.org_id === null && merged.org_id !== null && { org_id: merged.org_id }),
    ...(survivor.expected_close_date === null && merged.expected_close_date !== null && { expected_close_date: merged.expected_close_date }),
    ...(survivor.label_ids === '[]' && merged.label_ids !== '[]' && { label_ids: merged.label_ids }),
    ...(missing.length > 0 && { custom_fields: JSON.stringify(custom) }),
  };
}
