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

const participantIds = (row: ActivityRow) => (JSON.parse(row.participants) as Participant[]).map((p) => p.person_id);

/** Replaces one participant (not the primary) by another, telling the listeners. */
async function repointParticipant(trx: Executor, service: ActivitiesService, actor: Actor, rows: ActivityRow[], fromId: number, toId: number, time: string): Promise<void> {
  for (const before of rows) {
    await activities.updateActivity(trx, actor.companyId, before.id, { participants: repointParticipants(before.participants, fromId, toId), update_time: time });
    await service.notifyChanged(trx, actor, before);
  }
}

/**
 * A merge moves every live activity of the merged person to the survivor (Pipedrive moves all related data), and
 * makes the survivor a participant wherever the merged person was one, inside the merge's transaction. Answers the
 * ids for the merge journal: those moved, and those where the survivor took the merged person's place (where both
 * took part, the merged person's entry just goes, and an unmerge leaves it gone).
 */
export async function movePersonActivities(trx: Executor, service: ActivitiesService, actor: Actor, fromId: number, toId: number, time: string): Promise<number[]> {
  const moving = await activities.personActivitiesForUpdate(trx, actor.companyId, fromId);
  const joined = await activities.activitiesWithParticipantForUpdate(trx, actor.companyId, fromId);
  await moveActivities(trx, service, actor, moving, fromId, toId, time);
  await repointParticipant(trx, service, actor, joined, fromId, toId, time);
  return [...moving, ...joined.filter((a) => !participantIds(a).includes(toId))].map((a) => a.id);
}

/**
 * An unmerge moves the journaled activities back, those still on the survivor (as their person, or as a
 * participant); answers the ids moved.
 */
export async function moveActivitiesBack(trx: Executor, service: ActivitiesService, actor: Actor, ids: readonly number[], fromId: number, toId: number, time: string): Promise<number[]> {
  const live = (await activities.findActivitiesByIds(trx, actor.companyId, ids)).filter((a) => a.deleted_time === null);
  const moving = live.filter((a) => a.person_id === fromId);
  const joined = live.filter((a) => a.person_id !== fromId && participantIds(a).includes(fromId) && !participantIds(a).includes(toId));
  await moveActivities(trx, service, actor, moving, fromId, toId, time);
  await repointParticipant(trx, service, actor, joined, fromId, toId, time);
  return [...moving, ...joined].map((a) => a.id);
}

/**
 * A deleted person's activities, as its notes: those about nothing else (no organization, deal or other participant)
 * are deleted with it; the others stay without the person, the next participant becoming the primary one. Where it
 * took part without being the primary participant, it leaves the participants.
 */
async function personDeleted(trx: Executor, service: ActivitiesService, actor: Actor, personId: number): Promise<void> {
  const linked = await activities.personActivitiesForUpdate(trx, actor.companyId, personId);
  const joined = await activities.activitiesWithParticipantForUpdate(trx, actor.companyId, personId);
  const now = nowStored();
  for (const before of [...linked, ...joined]) {
    const others = (JSON.parse(before.participants) as Participant[]).filter((p) => p.person_id !== personId);
    if (before.person_id === personId && before.org_id === null && before.deal_id === null && others.length === 0) {
      await activities.markActivityDeleted(trx, actor.companyId, before.id, now);
    } else {
      const primary = before.person_id === personId ? (others[0]?.person_id ?? null) : before.person_id;
      const participants = others.map((p) => ({ person_id: p.person_id, primary: p.person_id === primary }));
      await activities.updateActivity(trx, actor.companyId, before.id, { person_id: primary, participants: JSON.stringify(participants), update_time: now });
    }
    await service.notifyChanged(trx, actor, before);
  }
}

/** A person write listener: a deleted person's activities go with it, or stay on their other links. */
export function activitiesOnPersonDelete<Row extends { id: number }>(service: ActivitiesService): WriteListener<Row> {
  return (trx, event) => (event.action === 'delete' && event.before ? personDeleted(trx, service, event.actor, event.before.id) : Promise.resolve());
}

/** A merge of organizations or deals moves every live activity of the merged record to the survivor, telling the listeners. */
export async function moveRecordActivities(trx: Executor, service: ActivitiesService, actor: Actor, link: 'org_id' | 'deal_id', fromId: number, toId: number, time: string): Promise<void> {
  for (const before of await activities.recordActivitiesForUpdate(trx, actor.companyId, link, fromId)) {
    await activities.updateActivity(trx, actor.companyId, before.id, { [link]: toId, update_time: time });
    await service.notifyChanged(trx, actor, before);
  }
}
