import { type Address, type AddressPart, normalizeAddress } from '../address.js';
import { invalid } from '../errors.js';
import { MAX_NAME, limitedText, timestamp, visibility } from '../field-rules.js';
import { isCalendarDate } from '../time.js';
import { type Contact, type ContactInput, normalizeContacts } from './contacts.js';
import { namePartsOf } from './names.js';

export type PostalAddress = Partial<Record<AddressPart, string | null>>;

export const MARKETING_STATUSES = ['no_consent', 'unsubscribed', 'subscribed', 'archived'] as const;
export type MarketingStatus = (typeof MARKETING_STATUSES)[number];

/** A v2 person body as the API accepts it (all optional: create checks the name itself). */
export interface PersonInput {
  name?: string;
  first_name?: string | null;
  last_name?: string | null;
  owner_id?: number;
  org_id?: number | null;
  emails?: ContactInput[];
  phones?: ContactInput[];
  im?: ContactInput[];
  ims?: ContactInput[];
  visible_to?: number;
  label_ids?: number[];
  postal_address?: PostalAddress | null;
  notes?: string | null;
  birthday?: string | null;
  job_title?: string | null;
  marketing_status?: MarketingStatus;
  custom_fields?: Record<string, unknown>;
  add_time?: string;
  update_time?: string;
}

/** The person's own values, validated and normalised, ready to store. */
export interface PersonValues {
  name: string;
  first_name: string | null;
  last_name: string | null;
  owner_id: number;
  org_id: number | null;
  emails: Contact[];
  phones: Contact[];
  im: Contact[];
  visible_to: number;
  label_ids: number[];
  postal_address: Address | null;
  notes: string | null;
  birthday: string | null;
  job_title: string | null;
  marketing_status: MarketingStatus | null;
  marketing_status_changed: boolean;
  custom_fields: Record<string, unknown>;
  add_time: string;
  update_time: string;
}

const MAX_NOTES = 10_000;

/** Applies a create or update body on top of the current values (empty defaults for a create). */
export function applyPersonInput(current: PersonValues, input: PersonInput, isCreate: boolean, now: string): PersonValues {
  const next: PersonValues = { ...current };
  applyName(next, input, isCreate);

  if (input.owner_id !== undefined) next.owner_id = input.owner_id;
  if (input.org_id !== undefined) next.org_id = input.org_id;
  if (input.emails !== undefined) next.emails = normalizeContacts('email', input.emails);
  if (input.phones !== undefined) next.phones = normalizeContacts('phone', input.phones);
  if (input.im !== undefined && input.ims !== undefined) throw invalid('send either im or ims, not both');
  const im = input.im ?? input.ims;
  if (im !== undefined) next.im = normalizeContacts('im', im);
  if (input.visible_to !== undefined) next.visible_to = visibility(input.visible_to);
  if (input.label_ids !== undefined) next.label_ids = [...new Set(input.label_ids)];
  if (input.postal_address !== undefined) next.postal_address = normalizeAddress('postal_address', input.postal_address);
  if (input.notes !== undefined) next.notes = limitedText('notes', input.notes, MAX_NOTES);
  if (input.job_title !== undefined) next.job_title = limitedText('job_title', input.job_title, MAX_NAME);
  if (input.birthday !== undefined) {
    if (input.birthday !== null && !isCalendarDate(input.birthday)) {
      throw invalid(`birthday must be a real date in the form YYYY-MM-DD; got "${input.birthday}"`);
    }
    next.birthday = input.birthday || null;
  }
  // custom_fields and label_ids are checked against the company's field definitions inside the write's
  // transaction (person-custom-fields.ts).
  if (input.add_time !== undefined) next.add_time = timestamp('add_time', input.add_time);
  next.update_time = input.update_time !== undefined ? timestamp('update_time', input.update_time) : isCreate ? next.add_time : now;
  applyMarketingStatus(next, current, input.marketing_status, isCreate);
  return next;
}

function applyName(next: PersonValues, input: PersonInput, isCreate: boolean): void {
  const name = input.name?.trim();
  const first = input.first_name === undefined ? undefined : input.first_name?.trim() || null;
  const last = input.last_name === undefined ? undefined : input.last_name?.trim() || null;
  if (input.name !== undefined && !name) throw invalid('name must not be empty');
  if (name !== undefined) {
    if (name.length > MAX_NAME) throw invalid(`name is longer than ${MAX_NAME} characters`);
    const parts = namePartsOf(name, first, last);
    if (!parts) {
      throw invalid(
        `name "${name}" does not match first_name and last_name`,
        'Send name alone (first_name and last_name are derived from it), first_name and last_name alone (name is the two joined), or parts that make up the name.',
      );
    }
    next.name = name;
    next.first_name = parts.first_name;
    next.last_name = parts.last_name;
    return;
  }
  if (first === undefined && last === undefined) {
    if (isCreate) throw invalid('name must be given', 'Send name, or first_name and last_name.');
    return;
  }
  next.first_name = first !== undefined ? first : next.first_name;
  next.last_name = last !== undefined ? last : next.last_name;
  const joined = [next.first_name, next.last_name].filter(Boolean).join(' ');
  if (joined === '') throw invalid('first_name and last_name must not both be empty');
  if (joined.length > MAX_NAME) throw invalid(`name is longer than ${MAX_NAME} characters`);
  next.name = joined;
}

/**
 * Pipedrive's marketing-status rules: a person without an email has no status; the status may move from one
 * value to another only once; `archived` is only reachable from `subscribed`. A forbidden change is ignored,
 * as Pipedrive ignores it, rather than rejected.
 */
function applyMarketingStatus(next: PersonValues, current: PersonValues, wanted: MarketingStatus | undefined, isCreate: boolean): void {
  if (next.emails.length === 0) {
    next.marketing_status = null;
    return;
  }
  if (isCreate || current.marketing_status === null) {
    next.marketing_status = wanted !== undefined && wanted !== 'archived' ? wanted : 'no_consent';
    return;
  }
  if (wanted === undefined || wanted === current.marketing_status) return;
  if (current.marketing_status_changed) return;
  if (wanted === 'archived' && current.marketing_status !== 'subscribed') return;
  next.marketing_status = wanted;
  next.marketing_status_changed = true;
}
