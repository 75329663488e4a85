import { normalizeAddress } from '../address.js';
import { invalid } from '../errors.js';
import { isCalendarDate } from '../time.js';
import type { PersonField } from './definitions.js';
import { CUSTOM_ADDRESS_PARTS, TEXT_LIMITS } from './field-types.js';

/** What a value without its own currency / time zone falls back to: the writing user's settings. */
export interface ValueDefaults {
  currency: string;
  timezoneName: string;
}

/** An id a value points at, checked against the database after the whole body has been validated. */
export interface ValueReference {
  kind: 'user' | 'org' | 'people';
  id: number;
  path: string;
}

/** A stored custom value, exactly in the v2 `custom_fields` format. */
export type CustomValue = string | number | number[] | Record<string, unknown>;

type Fail = (reason: string, part?: string) => Error;

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * Validates one v2 custom field value and returns it as stored, or null to clear it. Every refusal is a 400
 * naming `custom_fields.<key>` and the field's name.
 */
export function normalizeCustomValue(
  field: PersonField,
  raw: unknown,
  defaults: ValueDefaults,
  references: ValueReference[],
): CustomValue | null {
  const path = `custom_fields.${field.key}`;
  const fail: Fail = (reason, part = '') => invalid(`${path}${part} ("${field.name}") ${reason}`);
  if (raw === null) return null;
  switch (field.type) {
    case 'varchar':
    case 'varchar_auto':
    case 'text':
    case 'phone': {
      if (typeof raw !== 'string') throw fail('must be a string');
      const max = TEXT_LIMITS[field.type] as number;
      if (raw.length > max) throw fail(`is longer than ${max} characters`);
      return raw.trim() === '' ? null : raw;
    }
    case 'double':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw fail('must be a number');
      return raw;
    case 'monetary': {
      const value = objectWith(raw, ['value', 'currency'], fail, '{"value": 500, "currency": "USD"}');
      if (typeof value.value !== 'number' || !Number.isFinite(value.value)) throw fail('must be a number', '.value');
      const currency = value.currency ?? defaults.currency;
      if (typeof currency !== 'string' || !ISO_CURRENCIES.has(currency)) {
        throw fail(`must be an ISO 4217 currency code such as USD; got ${JSON.stringify(currency)}`, '.currency');
      }
      return { value: value.value, currency };
    }
    case 'date':
      return date(raw, fail, '');
    case 'daterange': {
      const value = objectWith(raw, ['value', 'until'], fail, '{"value": "2024-01-01", "until": "2024-01-31"}');
      const start = date(value.value, fail, '.value');
      const until = date(value.until, fail, '.until');
      if (until < start) throw fail(`must not be before .value (${start}); got ${until}`, '.until');
      return { value: start, until };
    }
    case 'time': {
      const value = objectWith(raw, ['value', 'timezone_id', 'timezone_name'], fail, '{"value": "09:00:00", "timezone_name": "Europe/London"}');
      return { value: time(value.value, fail, '.value'), ...zone(value, defaults, fail) };
    }
    case 'timerange': {
      const value = objectWith(raw, ['value', 'until', 'timezone_id', 'timezone_name'], fail, '{"value": "09:00:00", "until": "17:00:00"}');
      const start = time(value.value, fail, '.value');
      const until = time(value.until, fail, '.until');
      if (until < start) throw fail(`must not be before .value (${start}); got ${until}`, '.until');
      return { value: start, until, ...zone(value, defaults, fail) };
    }
    case 'enum': {
      if (!Number.isSafeInteger(raw)) throw fail('must be the id (an integer) of one of its options');
      if (!field.options?.some((o) => o.id === raw)) throw fail(`has no option with id ${raw}`);
      return raw as number;
    }
    case 'set': {
      if (!Array.isArray(raw)) throw fail('must be an array of option ids, or null to clear it');
      if (raw.length === 0) throw fail('must not be an empty array; send null to clear it');
      const ids: number[] = [];
      for (const [index, id] of raw.entries()) {
        if (!Number.isSafeInteger(id)) throw fail('must be an option id (an integer)', `[${index}]`);
        if (!field.options?.some((o) => o.id === id)) throw fail(`has no option with id ${id}`);
        if (!ids.includes(id)) ids.push(id);
      }
      return ids;
    }
    case 'address': {
      const value = objectWith(raw, CUSTOM_ADDRESS_PARTS, fail, '{"value": "1 Main St, Springfield"}');
      for (const part of CUSTOM_ADDRESS_PARTS) {
        if (value[part] !== undefined && value[part] !== null && typeof value[part] !== 'string') throw fail('must be a string', `.${part}`);
      }
      if (typeof value.value !== 'string' || value.value.trim() === '') throw fail('is required (the full address)', '.value');
      return normalizeAddress(path, value, CUSTOM_ADDRESS_PARTS);
    }
    case 'user':
    case 'org':
    case 'people': {
      if (!Number.isSafeInteger(raw) || (raw as number) < 1) throw fail(`must be the id (an integer) of ${REFERENCED[field.type]}`);
      references.push({ kind: field.type, id: raw as number, path: `${path} ("${field.name}")` });
      return raw as number;
    }
    default:
      throw fail('cannot be written through custom_fields');
  }
}

const REFERENCED = { user: 'a user', org: 'an organization', people: 'a person' } as const;

function objectWith(
  raw: unknown,
  allowed: readonly string[],
  fail: Fail,
  example: string,
): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail(`must be an object such as ${example}`);
  const unknown = Object.keys(raw).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw fail(`has an unknown property "${unknown}"; allowed: ${allowed.join(', ')}`);
  return raw as Record<string, unknown>;
}

function date(raw: unknown, fail: Fail, part: string): string {
  if (typeof raw !== 'string' || !isCalendarDate(raw)) throw fail(`must be a real date in the form YYYY-MM-DD; got ${JSON.stringify(raw)}`, part);
  return raw;
}

function time(raw: unknown, fail: Fail, part: string): string {
  const m = typeof raw === 'string' ? TIME.exec(raw) : null;
  if (!m) throw fail(`must be a time of day in the form HH:MM:SS; got ${JSON.stringify(raw)}`, part);
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
}

function zone(value: Record<string, unknown>, defaults: ValueDefaults, fail: Fail) {
  const id = value.timezone_id ?? null;
  if (id !== null && (!Number.isSafeInteger(id) || (id as number) < 1)) throw fail('must be a positive integer', '.timezone_id');
  const name = value.timezone_name ?? defaults.timezoneName;
  if (typeof name !== 'string' || !isTimeZone(name)) throw fail(`must be an IANA time zone such as Europe/London; got ${JSON.stringify(name)}`, '.timezone_name');
  return { timezone_id: id as number | null, timezone_name: name };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
