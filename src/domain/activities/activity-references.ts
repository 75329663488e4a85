import type { Executor } from '../../store/executor.js';
import { findActivityTypeByKey, listActivityTypes } from '../../store/repositories/activity-types.repository.js';
import { findDeal } from '../../store/repositories/deals.repository.js';
import { findOrganizationForShare } from '../../store/repositories/organizations.repository.js';
import { findPersonForShare } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { ensureActivityTypes } from './activity-type-seed.js';
import type { ActivityInput, ActivityValues } from './activity-input.js';

/** A new activity without a type gets `call`, or the first active type when call was deleted. */
export async function defaultActivityType(db: Executor, companyId: number): Promise<{ key: string; name: string }> {
  await ensureActivityTypes(db, companyId);
  const active = (await listActivityTypes(db, companyId)).filter((t) => t.active_flag === 1);
  const chosen = active.find((t) => t.key_string === 'call') ?? active[0];
  if (!chosen) throw invalid('type is required: this company has no active activity type', 'Add one with POST /v1/activityTypes.');
  return { key: chosen.key_string, name: chosen.name };
}

/**
 * What an activity names must exist in the caller's company: an active type, an active owner, and live persons
 * (the participants and attendees too), organization and deal that the caller sees, share-locked so a concurrent
 * delete waits for this write (and then unlinks it) or makes it a 400.
 */
export async function checkActivityReferences(db: Executor, actor: Actor, values: ActivityValues, input: ActivityInput, creating: boolean): Promise<void> {
  if (input.type !== undefined) {
    await ensureActivityTypes(db, actor.companyId);
    const type = await findActivityTypeByKey(db, actor.companyId, values.type);
    if (!type || type.active_flag !== 1) {
      throw invalid(`type "${values.type}" is not an activity type of this company`, 'GET /v1/activityTypes lists the key_string values.');
    }
  }
  if (creating || input.owner_id !== undefined || input.user_id !== undefined) {
    const owner = await findUser(db, actor.companyId, values.owner_id);
    if (!owner || owner.active_flag !== 1) throw invalid(`owner_id ${values.owner_id} is not an active user of this company`);
  }
  const viewer = await viewerOf(db, actor);
  if (input.person_id !== undefined || input.participants !== undefined) {
    for (const { person_id } of JSON.parse(values.participants) as { person_id: number }[]) {
      if (!(await findPersonForShare(db, actor.companyId, person_id, viewer))) throw invalid(`person_id ${person_id} is not a person of this company`);
    }
  }
  if (input.org_id != null && !(await findOrganizationForShare(db, actor.companyId, input.org_id, viewer))) {
    throw invalid(`org_id ${input.org_id} is not an organization of this company`);
  }
  if (input.deal_id != null && !(await findDeal(db, actor.companyId, input.deal_id, viewer))) {
    throw invalid(`deal_id ${input.deal_id} is not a deal of this company`);
  }
  if (input.attendees !== undefined) {
    for (const a of JSON.parse(values.attendees) as { person_id: number | null; user_id: number | null }[]) {
      if (a.person_id !== null && !(await findPersonForShare(db, actor.companyId, a.person_id, viewer))) {
        throw invalid(`attendees: person_id ${a.person_id} is not a person of this company`);
      }
      if (a.user_id !== null && !(await findUser(db, actor.companyId, a.user_id))) throw invalid(`attendees: user_id ${a.user_id} is not a user of this company`);
    }
  }
}
