import type { Executor } from '../../store/executor.js';
import { livePersonsForUpdate, personsReferencing } from '../../store/repositories/person-references.repository.js';
import { type PersonRow, findPerson, updatePerson } from '../../store/repositories/persons.repository.js';
import type { RecordViewer } from '../../store/record-visibility.js';
import type { Actor } from '../actor.js';
import type { PersonFieldDefinitions } from '../person-fields/definitions.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import type { NotRestored } from './not-restored.js';

/** A people-field value of another person that a merge moved from the merged person to the survivor. */
export interface RepointedReference {
  person_id: number;
  key: string;
}

/** The keys of the company's live custom fields of type `people` (values are person ids). */
export function peopleFieldKeys(definitions: PersonFieldDefinitions): string[] {
  return definitions.custom.filter((f) => f.type === 'people').map((f) => f.key);
}

/** Replaces `from` by `to` under the given keys, in place; answers the keys it changed. */
export function repointValues(values: Record<string, unknown>, keys: readonly string[], from: number, to: number): string[] {
  const changed = keys.filter((key) => values[key] === from);
  for (const key of changed) values[key] = to;
  return changed;
}

/**
 * Every live person of the company (but the two merged ones) whose people fields named the merged person names
 * the survivor instead, as Pipedrive repoints references on a merge. Each is a change for the write listeners
 * (history, webhooks, search), by the user who merged, with update_time moved so incremental syncs see it.
 * Persons the merging user may not see are repointed too: a reference must not name a deleted person.
 */
export async function repointReferences(
  trx: Executor,
  actor: Actor,
  listeners: readonly WriteListener<PersonRow>[],
  keys: readonly string[],
  ids: { merged: number; survivor: number },
  now: string,
): Promise<RepointedReference[]> {
  const repointed: RepointedReference[] = [];
  let afterId = 0;
  for (;;) {
    const batch = await personsReferencing(trx, actor.companyId, keys, ids.merged, [ids.merged, ids.survivor], afterId);
    if (batch.length === 0) return repointed;
    afterId = batch[batch.length - 1].id;
    for (const before of batch) {
      const values = JSON.parse(before.custom_fields) as Record<string, unknown>;
      const changed = repointValues(values, keys, ids.merged, ids.survivor);
      if (changed.length === 0) continue;
      const changes = { custom_fields: JSON.stringify(values), update_time: now };
      await updatePerson(trx, actor.companyId, before.id, changes);
      await notifyWrite(listeners, trx, { entity: 'person', action: 'change', actor, before, after: { ...before, ...changes } });
      for (const key of changed) repointed.push({ person_id: before.id, key });
    }
  }
}

/**
 * An unmerge points the references its merge repointed back at the restored person, each one that still names the
 * survivor; one changed since is kept and reported (when the unmerging user may see its person). Persons deleted
 * since are left alone.
 */
export async function restoreReferences(
  trx: Executor,
  actor: Actor,
  viewer: RecordViewer,
  listeners: readonly WriteListener<PersonRow>[],
  references: readonly RepointedReference[],
  ids: { merged: number; survivor: number },
  now: string,
): Promise<NotRestored[]> {
  const notRestored: NotRestored[] = [];
  const keysOf = new Map<number, string[]>();
  for (const ref of references) keysOf.set(ref.person_id, [...(keysOf.get(ref.person_id) ?? []), ref.key]);
  for (const before of await livePersonsForUpdate(trx, actor.companyId, [...keysOf.keys()])) {
    const values = JSON.parse(before.custom_fields) as Record<string, unknown>;
    const keys = keysOf.get(before.id) as string[];
    const back = repointValues(values, keys, ids.survivor, ids.merged);
    const kept = keys.filter((key) => !back.includes(key));
    if (kept.length > 0 && (await findPerson(trx, actor.companyId, before.id, viewer))) {
      for (const key of kept) notRestored.push({ field: `person ${before.id} custom_fields.${key}`, reason: 'edited since the merge; the edit is kept' });
    }
    if (back.length === 0) continue;
    const changes = { custom_fields: JSON.stringify(values), update_time: now };
    await updatePerson(trx, actor.companyId, before.id, changes);
    await notifyWrite(listeners, trx, { entity: 'person', action: 'change', actor, before, after: { ...before, ...changes } });
  }
  return notRestored;
}
