import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { type PersonRow, personsOfOrganizationForUpdate, updatePerson } from '../../store/repositories/persons.repository.js';
import { writeIdentity } from '../identity/identity-writes.js';
import type { IdentitySettings } from '../identity/identity-settings.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { valuesFromRow } from '../person-model/person-row.js';

const BATCH = 500;

/**
 * An organization write listener: when an organization is deleted, its persons lose the link in the same
 * transaction. A deleted organization answers 404 everywhere, and the purge unlinks its persons anyway, so a link
 * kept meanwhile would only hand out an id nobody can read. Each person is an ordinary change for the person
 * listeners (history, webhooks, search) and the identity keys, by the user who deleted the organization, with
 * update_time moved so incremental syncs see it; persons that user may not see are unlinked too.
 */
export function unlinkPersonsOfDeletedOrganization(personListeners: readonly WriteListener<PersonRow>[], identity: IdentitySettings): WriteListener<OrganizationRow> {
  return async (trx, event) => {
    if (event.action !== 'delete' || !event.before) return;
    const { actor } = event;
    const orgId = event.before.id;
    const now = nowStored();
    let region: Awaited<ReturnType<IdentitySettings['regionOf']>> | null = null;
    let afterId = 0;
    for (;;) {
      const batch = await personsOfOrganizationForUpdate(trx, actor.companyId, orgId, afterId, BATCH);
      if (batch.length === 0) return;
      afterId = batch[batch.length - 1].id;
      region ??= await identity.regionOf(actor.companyId, trx);
      for (const before of batch) {
        const after: PersonRow = { ...before, org_id: null, update_time: now };
        await updatePerson(trx, actor.companyId, before.id, { org_id: null, update_time: now });
        await writeIdentity(trx, actor.companyId, before.id, valuesFromRow(after), region, valuesFromRow(before));
        await notifyWrite(personListeners, trx, { entity: 'person', action: 'change', actor, before, after });
      }
    }
  };
}
