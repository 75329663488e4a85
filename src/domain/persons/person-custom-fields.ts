import { viewerOf } from '../access/visibility.js';
import type { Executor } from '../../store/executor.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import { hasMandatoryCustomField } from '../../store/repositories/person-fields.repository.js';
import { findPerson } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { type CustomValue, type ValueDefaults, type ValueReference, normalizeCustomValue } from '../person-fields/custom-values.js';
import { type PersonFieldDefinitions, loadPersonFields } from '../person-fields/definitions.js';
import type { PersonInput, PersonValues } from '../person-model/person-input.js';

const NEEDS_USER_DEFAULTS = new Set(['monetary', 'time', 'timerange']);

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
  /** Definitions the caller read already in this transaction (imports read them once for every row). */
  loaded?: PersonFieldDefinitions,
): Promise<void> {
  if (loaded === undefined && input.custom_fields === undefined && input.label_ids === undefined) {
    // Without custom values or labels, only a create has a rule to check (mandatory fields), and only when the
    // company has such a field: reading every definition just for that took a tenth of a create.
    if (!isCreate || !(await hasMandatoryCustomField(trx, actor.companyId))) return;
  }
  const fields = loaded ?? (await loadPersonFields(trx, actor.companyId));
  if (input.label_ids !== undefined) checkLabelIds(fields, values.label_ids);
  if (input.custom_fields !== undefined) {
    values.custom_fields = await mergeCustomFields(trx, actor, fields, values.custom_fields, input.custom_fields);
  }
  if (isCreate) {
    const missing = fields.custom.find((f) => f.mandatory && values.custom_fields[f.key] === undefined);
    if (missing) throw invalid(`custom_fields.${missing.key} ("${missing.name}") is required`, 'The field is marked mandatory.');
  }
}

function checkLabelIds(fields: PersonFieldDefinitions, labelIds: number[]): void {
  const known = new Set(fields.labelField.options?.map((o) => o.id));
  const unknown = labelIds.find((id) => !known.has(id));
  if (unknown !== undefined) {
    throw invalid(`label_ids: ${unknown} is not a person label of this company`, 'GET /api/v2/personFields/label_ids lists the labels.');
  }
}

async function mergeCustomFields(
  trx: Executor,
  actor: Actor,
  fields: PersonFieldDefinitions,
  current: Record<string, unknown>,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = { ...current };
  const references: ValueReference[] = [];
  let defaults: ValueDefaults | undefined;
  for (const [key, raw] of Object.entries(input)) {
    const field = fields.byKey(key);
    if (!field?.isCustom) {
      // A field deleted since the client read the definitions is ignored, as Pipedrive ignores it.
      if (fields.deletedKeys.has(key)) continue;
      throw invalid(`custom_fields.${key} is not a custom field of persons in this company`, 'GET /api/v2/personFields lists the fields.');
    }
    if (NEEDS_USER_DEFAULTS.has(field.type)) defaults ??= await userDefaults(trx, actor);
    const value: CustomValue | null = normalizeCustomValue(field, raw, defaults ?? NO_DEFAULTS, references);
    if (value === null) {
      if (field.mandatory) throw invalid(`custom_fields.${key} ("${field.name}") is required and cannot be cleared`);
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  await checkReferences(trx, actor, references);
  return merged;
}

const NO_DEFAULTS: ValueDefaults = { currency: 'USD', timezoneName: 'UTC' };

async function userDefaults(trx: Executor, actor: Actor): Promise<ValueDefaults> {
  const user = await findUser(trx, actor.companyId, actor.userId);
  return { currency: user?.default_currency ?? NO_DEFAULTS.currency, timezoneName: user?.timezone_name ?? NO_DEFAULTS.timezoneName };
}

/** Users, organizations and persons a custom value refers to must exist; the last two must be ones the actor sees. */
async function checkReferences(trx: Executor, actor: Actor, references: ValueReference[]): Promise<void> {
  if (references.length === 0) return;
  const viewer = references.some((r) => r.kind !== 'user') ? await viewerOf(trx, actor) : undefined;
  for (const ref of references) {
    const found =
      ref.kind === 'user'
        ? await findUser(trx, actor.companyId, ref.id)
        : ref.kind === 'org'
          ? await findOrganization(trx, actor.companyId, ref.id, viewer)
          : await findPerson(trx, actor.companyId, ref.id, viewer);
    if (!found) throw invalid(`${ref.path} refers to ${ref.kind === 'people' ? 'person' : ref.kind === 'org' ? 'organization' : 'user'} ${ref.id}, which does not exist in this company`);
  }
}
