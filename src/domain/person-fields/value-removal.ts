import type { Executor } from '../../store/executor.js';
import { type ValueTable, type ValueTables, rowsMentioningCustomKey, rowsWithLabels, updateRowValues } from '../../store/repositories/record-values.repository.js';
import type { Actor } from '../actor.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import type { EntityField } from './definitions.js';
import type { FieldEntity } from './entities.js';

type ValueRow = ValueTables[ValueTable];

const TABLES: Record<FieldEntity, ValueTable> = { person: 'persons', organization: 'organizations', deal: 'deals' };

/**
 * Removes a deleted field's values, or a deleted option's id, from every record of the entity in the company, in
 * the transaction that deletes the field or option. Stored JSON therefore never holds an orphaned value, and reads
 * keep splicing it into responses without consulting the definitions. Records whose values change are reported
 * to the entity's write listeners (search index, history, webhooks) like any other change; update_time is left
 * alone because nobody edited the record.
 */
export async function removeValues(
  trx: Executor,
  actor: Actor,
  entity: FieldEntity,
  listeners: readonly WriteListener<ValueRow>[],
  field: EntityField,
  removedOptionIds?: ReadonlySet<number>,
): Promise<number> {
  const table = TABLES[entity];
  let changed = 0;
  let afterId = 0;
  for (;;) {
    const batch: ValueRow[] = field.isCustom
      ? await rowsMentioningCustomKey(trx, table, actor.companyId, field.key, afterId)
      : await rowsWithLabels(trx, table, actor.companyId, afterId);
    if (batch.length === 0) return changed;
    afterId = batch[batch.length - 1].id;
    for (const before of batch) {
      const changes = field.isCustom ? customFieldsWithout(before, field, removedOptionIds) : labelIdsWithout(before, removedOptionIds);
      if (!changes) continue;
      await updateRowValues(trx, table, actor.companyId, before.id, changes);
      changed += 1;
      if (before.deleted_time === null) {
        await notifyWrite(listeners, trx, { entity, action: 'change', actor, before, after: { ...before, ...changes } });
      }
    }
  }
}

function customFieldsWithout(row: ValueRow, field: EntityField, removedOptionIds?: ReadonlySet<number>): { custom_fields: string } | null {
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

function labelIdsWithout(row: ValueRow, removedOptionIds?: ReadonlySet<number>): { label_ids: string } | null {
  if (removedOptionIds === undefined) return null;
  const ids = JSON.parse(row.label_ids) as number[];
  const kept = ids.filter((id) => !removedOptionIds.has(id));
  return kept.length === ids.length ? null : { label_ids: JSON.stringify(kept) };
}
