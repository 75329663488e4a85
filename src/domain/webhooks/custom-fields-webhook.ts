import type { PersonFieldDefinitions } from '../person-fields/definitions.js';

type Parts = Record<string, unknown>;

/**
 * Custom field values in the webhooks v2 format, where each value names its field type, e.g.
 * `{"type":"monetary","value":200,"currency":"EUR"}` or `{"type":"set","values":[{"id":13}]}` (behaviour doc §11.4).
 * Only set values appear, as in REST v2; values of deleted fields are left out.
 */
export function customFieldsToWebhookV2(definitions: PersonFieldDefinitions, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of definitions.custom) {
    const value = values[field.key];
    if (value === undefined || value === null) continue;
    const parts = typeof value === 'object' && !Array.isArray(value) ? (value as Parts) : {};
    const type = field.type;
    switch (type) {
      case 'monetary':
        out[field.key] = { type, value: parts.value ?? null, currency: parts.currency ?? null };
        break;
      case 'enum':
      case 'user':
      case 'org':
      case 'people':
        out[field.key] = { type, id: value };
        break;
      case 'set':
        out[field.key] = { type, values: (Array.isArray(value) ? value : []).map((id) => ({ id })) };
        break;
      case 'daterange':
        out[field.key] = { type, from: parts.value ?? null, until: parts.until ?? null };
        break;
      case 'time':
        out[field.key] = { type, value: parts.value ?? null, ...zone(parts) };
        break;
      case 'timerange':
        out[field.key] = { type, from: parts.value ?? null, until: parts.until ?? null, ...zone(parts) };
        break;
      case 'address':
        out[field.key] = { type, ...parts };
        break;
      default:
        out[field.key] = { type, value };
    }
  }
  return out;
}

function zone(parts: Parts): Parts {
  return { timezone_id: parts.timezone_id ?? null, ...(parts.timezone_name !== undefined && { timezone_name: parts.timezone_name }) };
}
