import { invalid } from '../errors.js';
import type { PersonField, PersonFieldDefinitions } from './definitions.js';
import { ENTITY_WORDS } from './entities.js';
import { subfieldSuffixes } from './field-types.js';

/**
 * The v1 form of a person's custom field values: flat keys at the root of a v1 person, every live custom field
 * present (null when unset). Values with parts add `<key>_<part>` keys: `_currency` for monetary, `_until` for
 * ranges, and the address components; enum options are id strings and sets comma-joined id strings, as v1 sent
 * them. The one place this conversion lives: every v1 person output (merge, flow, webhooks v1) uses it, and so do
 * organizations and deals (`loadFields(db, companyId, 'organization' | 'deal')` gives their definitions).
 */
export function customFieldsToV1(definitions: PersonFieldDefinitions, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of definitions.custom) {
    const value = values[field.key] ?? null;
    const parts = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    switch (field.type) {
      case 'enum':
        out[field.key] = value === null ? null : String(value);
        break;
      case 'set':
        out[field.key] = Array.isArray(value) ? value.join(',') : null;
        break;
      case 'monetary':
      case 'daterange':
      case 'time':
      case 'timerange':
      case 'address':
        out[field.key] = parts?.value ?? null;
        for (const suffix of subfieldSuffixes(field.type)) out[`${field.key}_${suffix}`] = parts?.[suffix] ?? null;
        break;
      default:
        out[field.key] = value;
    }
  }
  return out;
}

/** A custom field key: 40 hexadecimal characters (the part before any `_<suffix>`). */
const CUSTOM_KEY = /^[0-9a-f]{40}$/;
const V1_TIME_SUFFIXES = ['timezone_id'];

/**
 * The reverse of `customFieldsToV1`: picks the flat custom keys (and their `<key>_<suffix>` parts) out of a v1
 * body and returns them as a v2 `custom_fields` object, which the write then validates like any v2 value. v1's
 * leniency is applied here: numbers as numeric strings, enum ids as strings, sets as `"1,2"`, reference fields as
 * `{value}` objects (what a v1 read shows). Returns the keys it consumed; a 40-hex key that names no field of the
 * company is a 400, as in v2, while keys of deleted fields pass through to be ignored by the write.
 */
export function customFieldsFromV1(
  definitions: PersonFieldDefinitions,
  body: Readonly<Record<string, unknown>>,
): { customFields: Record<string, unknown> | undefined; consumed: Set<string> } {
  const customFields: Record<string, unknown> = {};
  const consumed = new Set<string>();
  for (const key of Object.keys(body)) {
    const base = key.slice(0, 40);
    if (!CUSTOM_KEY.test(base) || (key.length > 40 && key[40] !== '_')) continue;
    consumed.add(key);
    const field = definitions.byKey(base);
    if (!field?.isCustom) {
      if (definitions.deletedKeys.has(base)) {
        if (key === base) customFields[base] = body[key];
        continue;
      }
      const words = ENTITY_WORDS[definitions.entity];
      throw invalid(`${key} is not a custom field of ${words.many} in this company`, `GET /v1/${words.path} lists the fields and their keys.`);
    }
    if (key === base) continue;
    const suffix = key.slice(41);
    const allowed = field.type === 'time' ? V1_TIME_SUFFIXES : subfieldSuffixes(field.type);
    if (!allowed.includes(suffix)) throw invalid(`${key}: "${field.name}" (${field.type}) has no part "${suffix}"`);
  }
  for (const field of definitions.custom) {
    const parts = Object.fromEntries(
      [...subfieldSuffixes(field.type), ...(field.type === 'time' ? V1_TIME_SUFFIXES : [])]
        .filter((suffix) => body[`${field.key}_${suffix}`] !== undefined)
        .map((suffix) => [suffix, body[`${field.key}_${suffix}`]]),
    );
    if (body[field.key] === undefined) {
      if (Object.keys(parts).length > 0) throw invalid(`${Object.keys(parts).map((s) => `${field.key}_${s}`).join(', ')} sent without ${field.key} ("${field.name}")`, 'Send the value with its parts.');
      continue;
    }
    customFields[field.key] = valueFromV1(field, body[field.key], parts);
  }
  return { customFields: consumed.size > 0 ? customFields : undefined, consumed };
}

function valueFromV1(field: PersonField, raw: unknown, parts: Record<string, unknown>): unknown {
  if (raw === null || raw === '') return null;
  switch (field.type) {
    case 'varchar':
    case 'varchar_auto':
    case 'text':
    case 'phone':
      return typeof raw === 'number' ? String(raw) : raw;
    case 'double':
      return numeric(raw);
    case 'monetary':
      return { value: numeric(raw), ...parts };
    case 'daterange':
    case 'timerange':
      return { value: raw, ...parts };
    case 'time':
      return { value: raw, ...(parts.timezone_id !== undefined && { timezone_id: numeric(parts.timezone_id) }) };
    case 'address':
      return { value: raw, ...parts };
    case 'enum':
      return reference(raw);
    case 'set':
      if (Array.isArray(raw) && raw.length === 0) return null;
      return (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw]).map(reference);
    case 'user':
    case 'org':
    case 'people':
      return reference(raw);
    default:
      return raw;
  }
}

/** v1 sends numbers as numbers or numeric strings; anything else is left for the value rules to refuse. */
function numeric(raw: unknown): unknown {
  return typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

/** An id as a number, a numeric string, or the `{value}` / `{id}` object a v1 read shows for references. */
function reference(raw: unknown): unknown {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const object = raw as Record<string, unknown>;
    return numeric(object.value ?? object.id);
  }
  return typeof raw === 'string' ? numeric(raw.trim()) : raw;
}
