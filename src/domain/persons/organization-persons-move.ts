import type { Executor } from '../../store/executor.js';
import { type PersonRow, personsOfOrganizationForUpdate, updatePerson } from '../../store/repositories/persons.repository.js';
import type { Actor } from '../actor.js';
import { writeIdentity } from '../identity/identity-writes.js';
import type { IdentitySettings } from '../identity/identity-settings.js';
import { valuesFromRow } from '../person-model/person-row.js';
import { type WriteListener, notifyWrite } from '../write-events.js';

const BATCH = 500;

/**
 * Moves every live person of one organization to another inside the caller's transaction (an organization merge).
 * Each person is an ordinary change for the person listeners (history, webhooks, search) and the identity keys,
 * by the merging user, persons that user may not see included, as a delete unlinks them.
 */
export async function movePersonsToOrganization(
  trx: Executor,
  personListeners: readonly WriteListener<PersonRow>[],
  identity: IdentitySettings,
  actor: Actor,
  move: { fromOrgId: number; toOrgId: number; time: string },
): Promise<void> {
  let region: Awaited<ReturnType<IdentitySettings['regionOf']>> | null = null;
  for (;;) {
    // Moved persons leave the organization, so every batch starts from the first id again.
    const batch = await personsOfOrganizationForUpdate(trx, actor.companyId, move.fromOrgId, 0, BATCH);
    if (batch.length === 0) return;
    region ??= await identity.regionOf(actor.companyId, trx);
    for (const before of batch) {
      const after: PersonRow = { ...before, org_id: move.toOrgId, update_time: move.time };
      await updatePerson(trx, actor.companyId, before.id, { org_id: move.toOrgId, update_time: move.time });
      await writeIdentity(trx, actor.companyId, before.id, valuesFromRow(after), region, valuesFromRow(before));
      await notifyWrite(personListeners, trx, { entity: 'person', action: 'change', actor, before, after });
    }
  }
}
