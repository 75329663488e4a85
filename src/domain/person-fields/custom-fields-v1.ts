import type { PersonFieldDefinitions } from './definitions.js';
import { subfieldSuffixes } from './field-types.js';

/**
 * The v1 form of a person's custom field values: flat keys at the root of a v1 person, every live custom field
 * present (null when unset). Values with parts add `<key>_<part>` keys: `_currency` for monetary, `_until` for
 * ranges, and the address components; enum options are id strings and sets comma-joined id strings, as v1 sent
 * them. The one place this conversion lives: every v1 person output (merge, flow, webhooks v1) uses it.
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
