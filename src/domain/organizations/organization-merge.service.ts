import type { Kysely } from 'kysely';
import * as orgs from '../../store/repositories/organizations.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { DealsService } from '../deals/deals.service.js';
import { invalid, notFound } from '../errors.js';
import { lockInIdOrder } from '../lock-order.js';
import type { IdentitySettings } from '../identity/identity-settings.js';
import type { NotesService } from '../notes/notes.service.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import { moveRecordActivities } from '../activities/activity-person-links.js';
import { moveRecordFollowers } from '../record-followers/record-follower-merge.js';
import { movePersonsToOrganization } from '../persons/organization-persons-move.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';

/**
 * PUT /v1/organizations/{id}/merge: organization `id` is merged into `merge_with_id`, which survives. Its persons,
 * deals, notes, activities and followers move to the survivor, the survivor's empty address, labels and picture are filled from it, and it
 * is deleted, all in one transaction; every moved record is a change for its own listeners (history, webhooks,
 * search), by the merging user. Unlike a person merge it is not journaled, so it cannot be undone.
 */
export class OrganizationMergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizationListeners: WriteListener<OrganizationRow>[],
    private readonly personListeners: WriteListener<PersonRow>[],
    private readonly identity: IdentitySettings,
    private readonly deals: DealsService,
    private readonly notes: NotesService,
    private readonly activities: ActivitiesService,
  ) {}

  async merge(actor: Actor, id: number, mergeWithId: number): Promise<OrganizationRow> {
    return this.db.transaction().execute(async (trx) => {
      const viewer = await viewerOf(trx, actor);
      const locked = await lockInIdOrder([id, mergeWithId], (orgId) => orgs.findOrganizationForUpdate(trx, actor.companyId, orgId, viewer));
      const merged = locked.get(id);
      if (!merged) throw notFound('Organization not found', `No organization with id ${id} exists in this company.`);
      if (id === mergeWithId) throw invalid('merge_with_id must name another organization than the one merged');
      const survivor = locked.get(mergeWithId);
      if (!survivor) throw invalid(`merge_with_id ${mergeWithId} is not an organization of this company`);

      const now = nowStored();
      await movePersonsToOrganization(trx, this.personListeners, this.identity, actor, { fromOrgId: id, toOrgId: mergeWithId, time: now });
      await this.deals.moveOrganizationDeals(trx, actor, id, mergeWithId, now);
      await this.notes.moveRecordNotes(trx, actor, 'org_id', id, mergeWithId, now);
      await moveRecordActivities(trx, this.activities, actor, 'org_id', id, mergeWithId, now);
      await moveRecordFollowers(trx, actor, 'org_id', id, mergeWithId, now);

      const labels = JSON.parse(survivor.label_ids) as number[];
      const filled = {
        ...(survivor.address === null && merged.address !== null && { address: merged.address }),
        ...(labels.length === 0 && merged.label_ids !== '[]' && { label_ids: merged.label_ids }),
        ...(survivor.picture_id === null && merged.picture_id !== null && { picture_id: merged.picture_id }),
      };
      await orgs.updateOrganization(trx, actor.companyId, mergeWithId, { ...filled, update_time: now });
      const after = (await orgs.findOrganization(trx, actor.companyId, mergeWithId)) as OrganizationRow;
      await notifyWrite(this.organizationListeners, trx, { entity: 'organization', action: 'merge', actor, before: survivor, after, mergedFromId: id });
      await orgs.markOrganizationDeleted(trx, actor.companyId, id, now);
      await notifyWrite(this.organizationListeners, trx, { entity: 'organization', action: 'delete', actor, before: merged, after: null, mergedToId: mergeWithId });
      return after;
    });
  }
}
