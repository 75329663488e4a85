import { ADDRESS_PARTS } from '../address.js';
import { invalid } from '../errors.js';
import { customFieldsFromV1 } from '../person-fields/custom-fields-v1.js';
import type { PersonFieldDefinitions } from '../person-fields/definitions.js';
import type { ContactInput } from './contacts.js';
import { MARKETING_STATUSES, type MarketingStatus, type PersonInput, type PostalAddress } from './person-input.js';

/**
 * Translates a v1 person body (POST /v1/persons, PUT /v1/persons/{id}) into the v2 input the persons service
 * takes, so both versions write through the same rules. v1's leniency lives here and only here: ids and numbers as
 * numeric strings, booleans as 0/1 or "true"/"false", `email`/`phone` as a string, a list of strings or a list of
 * objects, `visible_to` as a string, `label` beside `label_ids`, `postal_address` as the full address with
 * `postal_address_<part>` keys, custom fields flat under their keys. Unknown non-custom keys are ignored, as v1
 * ignores them; values of the wrong kind are a 400 naming the key.
 */
export function personInputFromV1(body: Readonly<Record<string, unknown>>, fields: PersonFieldDefinitions): PersonInput {
  const input: PersonInput = {};
  if (body.name !== undefined) input.name = text('name', body.name) ?? '';
  if (body.first_name !== undefined) input.first_name = text('first_name', body.first_name);
  if (body.last_name !== undefined) input.last_name = text('last_name', body.last_name);
  if (body.owner_id !== undefined) input.owner_id = id('owner_id', body.owner_id);
  if (body.org_id !== undefined) input.org_id = body.org_id === null || body.org_id === '' || body.org_id === 0 ? null : id('org_id', body.org_id);
  if (body.email !== undefined) input.emails = contacts('email', body.email);
  if (body.phone !== undefined) input.phones = contacts('phone', body.phone);
  if (body.im !== undefined) input.im = contacts('im', body.im);
  if (body.visible_to !== undefined) input.visible_to = integer('visible_to', body.visible_to);
  if (body.label_ids !== undefined) input.label_ids = ids('label_ids', body.label_ids);
  // v1: `label` overwrites `label_ids`, unless it is their first (a v1 read sent back shows both that way).
  if (body.label !== undefined) {
    const label = body.label === null || body.label === '' ? null : id('label', body.label);
    if (label === null) input.label_ids = [];
    else if (input.label_ids?.[0] !== label) input.label_ids = [label];
  }
  if (body.notes !== undefined) input.notes = text('notes', body.notes);
  if (body.birthday !== undefined) input.birthday = text('birthday', body.birthday);
  if (body.job_title !== undefined) input.job_title = text('job_title', body.job_title);
  if (body.marketing_status !== undefined) input.marketing_status = marketingStatus(body.marketing_status);
  if (body.add_time !== undefined) input.add_time = text('add_time', body.add_time) ?? '';
  const address = postalAddress(body);
  if (address !== undefined) input.postal_address = address;
  const { customFields } = customFieldsFromV1(fields, body);
  if (customFields !== undefined) input.custom_fields = customFields;
  return input;
}

/** A v1 boolean: true/false, 1/0 or their strings. */
export function v1Boolean(field: string, value: unknown): boolean {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  throw invalid(`${field} must be a boolean (true/false or 1/0); got ${JSON.stringify(value)}`);
}

function text(field: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(`${field} must be a string; got ${JSON.stringify(value)}`);
}

function integer(field: string, value: unknown): number {
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw invalid(`${field} must be an integer; got ${JSON.stringify(value)}`);
  return number;
}

/** An id: a positive integer, its string, or the `{value}` / `{id}` object a v1 read shows. */
function id(field: string, value: unknown): number {
  const raw = value !== null && typeof value === 'object' && !Array.isArray(value) ? ((value as Record<string, unknown>).value ?? (value as Record<string, unknown>).id) : value;
  const number = integer(field, raw);
  if (number < 1) throw invalid(`${field} must be a positive integer; got ${JSON.stringify(value)}`);
  return number;
}

function ids(field: string, value: unknown): number[] {
  if (value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  return list.map((item, index) => id(`${field}[${index}]`, item));
}

function contacts(field: string, value: unknown): ContactInput[] {
  if (value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, index) => {
    if (typeof item === 'string') return { value: item };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalid(`${field}[${index}] must be a string or an object {value, primary, label}; got ${JSON.stringify(item)}`);
    }
    const { value: itemValue, primary, label, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw invalid(`${field}[${index}] has an unknown property "${unknown}"; allowed: value, primary, label`);
    const contact: ContactInput = { value: text(`${field}[${index}].value`, itemValue ?? '') ?? '' };
    if (primary !== undefined && primary !== null) contact.primary = v1Boolean(`${field}[${index}].primary`, primary);
    if (label !== undefined && label !== null) contact.label = text(`${field}[${index}].label`, label) ?? undefined;
    return contact;
  });
}

function marketingStatus(value: unknown): MarketingStatus {
  if (!(MARKETING_STATUSES as readonly unknown[]).includes(value)) {
    throw invalid(`marketing_status must be one of ${MARKETING_STATUSES.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as MarketingStatus;
}

/** v1 writes the full address as `postal_address` and its parts as `postal_address_<part>` keys. */
function postalAddress(body: Readonly<Record<string, unknown>>): PostalAddress | null | undefined {
  const address: PostalAddress = {};
  let sent = false;
  for (const part of ADDRESS_PARTS) {
    const key = part === 'value' ? 'postal_address' : `postal_address_${part}`;
    if (body[key] === undefined) continue;
    sent = true;
    address[part] = text(key, body[key]);
  }
  if (!sent) return undefined;
  return Object.values(address).every((v) => v === null || v === '') ? null : address;
}
