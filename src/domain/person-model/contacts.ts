import { invalid } from '../errors.js';
import { type Region, contactKey } from '../normalize/contact-keys.js';

export type ContactKind = 'email' | 'phone' | 'im';

export interface ContactInput {
  value: string;
  primary?: boolean;
  label?: string;
}

/** One email, phone or IM handle as stored and sent: `{value, primary, label}`. */
export interface Contact {
  value: string;
  primary: boolean;
  label: string;
}

const FIELD_NAMES: Record<ContactKind, string> = { email: 'emails', phone: 'phones', im: 'im' };
const MAX_VALUE_LENGTH = 255;
const MAX_ITEMS = 100;
// Pipedrive's default label for a new email, phone or IM handle.
const DEFAULT_LABEL = 'work';
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * Cleans a submitted list: trims values, drops blank entries (clients often send `[{value: ""}]` for "none"),
 * validates emails, defaults labels, and leaves exactly one primary (the first item when none is marked).
 */
export function normalizeContacts(kind: ContactKind, items: ContactInput[]): Contact[] {
  const field = FIELD_NAMES[kind];
  if (items.length > MAX_ITEMS) throw invalid(`${field} may hold at most ${MAX_ITEMS} items`);
  const result: Contact[] = [];
  let primaries = 0;
  items.forEach((item, index) => {
    const value = item.value.trim();
    if (value === '') return;
    if (value.length > MAX_VALUE_LENGTH) throw invalid(`${field}[${index}].value is longer than ${MAX_VALUE_LENGTH} characters`);
    if (kind === 'email' && !EMAIL.test(value)) throw invalid(`${field}[${index}].value "${value}" is not a valid email address`);
    if (kind === 'phone' && !/\d/.test(value)) throw invalid(`${field}[${index}].value "${value}" is not a phone number: it has no digits`);
    const label = item.label?.trim() || DEFAULT_LABEL;
    if (label.length > 64) throw invalid(`${field}[${index}].label is longer than 64 characters`);
    if (item.primary === true) primaries += 1;
    result.push({ value, primary: item.primary === true, label });
  });
  if (primaries > 1) throw invalid(`${field} has ${primaries} items marked primary; at most one may be`);
  if (primaries === 0 && result.length > 0) result[0].primary = true;
  return result;
}

/**
 * The lookup key for exact matching and duplicate checks (identity/contact-keys.ts): the email lower-cased with an
 * IDNA domain, the phone in E.164 read in `region` (digits when unreadable), the handle lower-cased.
 */
export function normalizedContactKey(kind: ContactKind, value: string, region?: Region): string {
  return contactKey(kind, value, region);
}
