import type { Executor } from '../../store/executor.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import { hasMandatoryCustomField } from '../../store/repositories/person-fields.repository.js';
import { findPerson } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { type CustomValue, type ValueDefaults, type ValueReference, normalizeCustomValue } from './custom-values.js';
import { type FieldDefinitions, loadFields } from './definitions.js';
import { ENTITY_WORDS, type FieldEntity } from './entities.js';

const NEEDS_USER_DEFAULTS = new Set(['monetary', 'time', 'timerange']);

/**
 * Applies a v2 `custom_fields` object on top of the stored values: each value validated by its field's type,
 * null clears (unless mandatory), keys of fields deleted since the client read them are ignored, unknown keys are
 * a 400. Referenced users, organizations and persons must exist (the last two: ones the actor sees).
 */
export async function mergeCustomFields(
  trx: Executor,
  actor: Actor,
  fields: FieldDefinitions,
  current: Record<string, unknown>,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = { ...current };
  const references: ValueReference[] = [];
  let defaults: ValueDefaults | undefined;
  const words = ENTITY_WORDS[fields.entity];
  for (const [key, raw] of Object.entries(input)) {
    const field = fields.byKey(key);
    if (!field?.isCustom) {
      // A field deleted since the client read the definitions is ignored, as Pipedrive ignores it.
      if (fields.deletedKeys.has(key)) continue;
      throw invalid(`custom_fields.${key} is not a custom field of ${words.many} in this company`, `GET /api/v2/${words.path} lists the fields.`);
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

/** On create, every mandatory custom field must have a value. */
export function checkMandatoryCustomFields(fields: FieldDefinitions, values: Readonly<Record<string, unknown>>): void {
  const missing = fields.custom.find((f) => f.mandatory && values[f.key] === undefined);
  if (missing) throw invalid(`custom_fields.${missing.key} ("${missing.name}") is required`, 'The field is marked mandatory.');
}

/**
 * The custom values of an organization or deal write, as the JSON text to store, or undefined when the write
 * leaves them alone. Definitions are read in the write's transaction, so a field deleted concurrently never
 * leaves a value behind; a write without `custom_fields` reads them only on create and only when the company has
 * a mandatory field of the entity.
 */
export async function customFieldsOfWrite(
  trx: Executor,
  actor: Actor,
  entity: FieldEntity,
  stored: string,
  input: Record<string, unknown> | undefined,
  isCreate: boolean,
): Promise<string | undefined> {
  if (input === undefined && (!isCreate || !(await hasMandatoryCustomField(trx, actor.companyId, entity)))) return undefined;
  const fields = await loadFields(trx, actor.companyId, entity);
  const current = JSON.parse(stored) as Record<string, unknown>;
  const merged = input === undefined ? current : await mergeCustomFields(trx, actor, fields, current, input);
  if (isCreate) checkMandatoryCustomFields(fields, merged);
  return JSON.stringify(merged);
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
