import type { Executor } from '../../store/executor.js';
import * as activities from '../../store/repositories/activities.repository.js';
import type { ActivityRow } from '../../store/repositories/activities.repository.js';
import type { Actor } from '../actor.js';
import { nowStored } from '../time.js';
import type { WriteListener } from '../write-events.js';
import type { ActivitiesService } from './activities.service.js';

type Participant = { person_id: number; primary: boolean };

/** The participants with one person replaced by another (kept once when both were there), the new one primary if the old one was. */
function repointParticipants(json: string, fromId: number, toId: number): string {
  const list = JSON.parse(json) as Participant[];
  const out: Participant[] = [];
  for (const p of list) {
    const id = p.person_id === fromId ? toId : p.person_id;
    const seen = out.find((o) => o.person_id === id);
    if (seen) seen.primary ||= p.primary;
    else out.push({ person_id: id, primary: p.primary });
  }
  return JSON.stringify(out);
}

/** Moves these activities from one person to another (person_id and the participants), telling the listeners. */
async function moveActivities(trx: Executor, service: ActivitiesService, actor: Actor, moving: ActivityRow[], fromId: number, toId: number, time: string): Promise<void> {
  for (const before of moving) {
    await activities.updateActivity(trx, actor.companyId, before.id, { person_id: toId, participants: repointParticipants(before.participants, fromId, toId), update_time: time });
    await service.notifyChanged(trx, actor, before);
  }
}

/**
 * A merge moves every live activity of the merged person to the survivor (Pipedrive moves all related data) inside
 * the merge's transaction, and answers their ids for the merge journal.
 */
export async function movePersonActivities(trx: Executor, service: ActivitiesService, actor: Actor, fromId: number, toId: number, time: string): Promise<number[]> {
  const moving = await activities.personActivitiesForUpdate(trx, actor.companyId, fromId);
  await moveActivities(trx, service, actor, moving, fromId, toId, time);
  return moving.map((a) => a.id);
}

/** An unmerge moves the journaled activities back, those still on the survivor; answers the ids moved. */
export async function moveActivitiesBack(trx: Executor, service: ActivitiesService, actor: Actor, ids: readonly number[], fromId: number, toId: number, time: string): Promise<number[]> {
  const moving = (await activities.findActivitiesByIds(trx, actor.companyId, ids)).filter((a) => a.person_id === fromId && a.deleted_time === null);
  await moveActivities(trx, service, actor, moving, fromId, toId, time);
  return moving.map((a) => a.id);
}

/**
 * A deleted person's activities, as its notes: those linked to nothing else are deleted with it; those also about an
 * organization or a deal stay there without the person (and without it among the participants).
 */
async function personDeleted(trx: Executor, service: ActivitiesService, actor: Actor, personId: number): Promise<void> {
  const linked = await activities.personActivitiesForUpdate(trx, actor.companyId, personId);
  if (linked.length === 0) return;
  const now = nowStored();
  for (const before of linked) {
    if (before.org_id === null && before.deal_id === null) {
      await activities.markActivityDeleted(trx, actor.companyId, before.id, now);
    } else {
      const participants = (JSON.parse(before.participants) as Participant[]).filter((p) => p.person_id !== personId);
      await activities.updateActivity(trx, actor.companyId, before.id, { person_id: null, participants: JSON.stringify(participants), update_time: now });
    }
    await service.notifyChanged(trx, actor, before);
  }
}

/** A person write listener: a deleted person's activities go with it, or stay on their other links. */
export function activitiesOnPersonDelete<Row extends { id: number }>(service: ActivitiesService): WriteListener<Row> {
  return (trx, event) => (event.action === 'delete' && event.before ? personDeleted(trx, service, event.actor, event.before.id) : Promise.resolve());
}
