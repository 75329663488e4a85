import type { Executor } from '../../store/executor.js';
import { hasMandatoryCustomField } from '../../store/repositories/person-fields.repository.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { checkMandatoryCustomFields, mergeCustomFields } from '../person-fields/custom-field-values.js';
import { type PersonFieldDefinitions, loadPersonFields } from '../person-fields/definitions.js';
import type { PersonInput, PersonValues } from '../person-model/person-input.js';
import { type ChangeStamp, RememberedWhileUnchanged } from '../remembered-while-unchanged.js';

/** Whether the actor's company has a live mandatory custom person field, read in the caller's transaction. */
export type MandatoryFieldCheck = (trx: Executor, actor: Actor) => Promise<boolean>;

/**
 * The check remembered between changes of the store's settings stamp (person fields announce theirs on PostgreSQL):
 * without it every create made a query for a rule most companies do not have.
 */
export function rememberedMandatoryFieldCheck(settingsStamp: ChangeStamp): MandatoryFieldCheck {
  const remembered = new RememberedWhileUnchanged<boolean>(settingsStamp);
  return (trx, actor) => remembered.get(actor.companyId, () => hasMandatoryCustomField(trx, actor.companyId), { since: actor.arrivedAt });
}

export interface FieldRuleSources {
  /** Definitions the caller read already in this transaction (imports read them once for every row). */
  loaded?: PersonFieldDefinitions;
  hasMandatoryField?: MandatoryFieldCheck;
}

/**
 * The rules of a person write that depend on the company's field definitions: custom field values, label ids
 * and mandatory fields. Runs inside the write's transaction, with the definitions read in that transaction, so
 * a field or option deleted concurrently can never leave a value behind.
 */
export async function applyPersonFieldRules(
  trx: Executor,
  actor: Actor,
  values: PersonValues,
  input: PersonInput,
  isCreate: boolean,
  { loaded, hasMandatoryField = (db, { companyId }) => hasMandatoryCustomField(db, companyId) }: FieldRuleSources = {},
): Promise<void> {
  if (loaded === undefined && input.custom_fields === undefined && input.label_ids === undefined) {
    // Without custom values or labels, only a create has a rule to check (mandatory fields), and only when the
    // company has such a field: reading every definition just for that took a tenth of a create.
    if (!isCreate || !(await hasMandatoryField(trx, actor))) return;
  }
  const fields = loaded ?? (await loadPersonFields(trx, actor.companyId));
  if (input.label_ids !== undefined) checkLabelIds(fields, values.label_ids);
  if (input.custom_fields !== undefined) {
    values.custom_fields = await mergeCustomFields(trx, actor, fields, values.custom_fields, input.custom_fields);
  }
  if (isCreate) checkMandatoryCustomFields(fields, values.custom_fields);
}

function checkLabelIds(fields: PersonFieldDefinitions, labelIds: number[]): void {
  const known = new Set(fields.labelField.options?.map((o) => o.id));
  const unknown = labelIds.find((id) => !known.has(id));
  if (unknown !== undefined) {
    throw invalid(`label_ids: ${unknown} is not a person label of this company`, 'GET /api/v2/personFields/label_ids lists the labels.');
  }
}
