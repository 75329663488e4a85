import type { Executor } from '../../store/executor.js';
import { personsMentioningCustomKey, personsWithLabels } from '../../store/repositories/person-fields.repository.js';
import { type PersonRow, updatePerson } from '../../store/repositories/persons.repository.js';
import type { Actor } from '../actor.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import type { PersonField } from './definitions.js';

/**
 * Removes a deleted field's values, or a deleted option's id, from every person of the company, in the
 * transaction that deletes the field or option. Stored JSON therefore never holds an orphaned value, and reads
 * keep splicing it into responses without consulting the definitions. Persons whose values change are reported
 * to the write listeners (search index, history) like any other change; update_time is left alone because the
 * person was not edited.
 */
export async function removeValuesFromPersons(
  trx: Executor,
  actor: Actor,
  listeners: readonly WriteListener<PersonRow>[],
  field: PersonField,
  removedOptionIds?: ReadonlySet<number>,
): Promise<number> {
  let changed = 0;
  let afterId = 0;
  for (;;) {
    const batch = field.isCustom
      ? await personsMentioningCustomKey(trx, actor.companyId, field.key, afterId)
      : await personsWithLabels(trx, actor.companyId, afterId);
    if (batch.length === 0) return changed;
    afterId = batch[batch.length - 1].id;
    for (const before of batch) {
      const changes = field.isCustom ? customFieldsWithout(before, field, removedOptionIds) : labelIdsWithout(before, removedOptionIds);
      if (!changes) continue;
      await updatePerson(trx, actor.companyId, before.id, changes);
      changed += 1;
      if (before.deleted_time === null) {
        await notifyWrite(listeners, trx, { entity: 'person', action: 'change', actor, before, after: { ...before, ...changes } });
      }
    }
  }
}

function customFieldsWithout(row: PersonRow, field: PersonField, removedOptionIds?: ReadonlySet<number>): { custom_fields: string } | null {
  const values = JSON.parse(row.custom_fields) as Record<string, unknown>;
  const value = values[field.key];
  if (value === undefined) return null;
  if (removedOptionIds === undefined) {
    delete values[field.key];
  } else if (Array.isArray(value)) {
    const kept = value.filter((id) => !removedOptionIds.has(id));
    if (kept.length === value.length) return null;
    // An empty set is not a value (v2 refuses []), so the field is cleared instead.
    if (kept.length === 0) delete values[field.key];
    else values[field.key] = kept;
  } else {
    if (!removedOptionIds.has(value as number)) return null;
    delete values[field.key];
  }
  return { custom_fields: JSON.stringify(values) };
}

function labelIdsWithout(row: PersonRow, removedOptionIds?: ReadonlySet<number>): { label_ids: string } | null {
  if (removedOptionIds === undefined) return null;
  const ids = JSON.parse(row.label_ids) as number[];
  const kept = ids.filter((id) => !removedOptionIds.has(id));
  return kept.length === ids.length ? null : { label_ids: JSON.stringify(kept) };
}
