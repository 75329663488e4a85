import ICAL from 'ical.js';
import type { Address } from '../address.js';
import type { Contact, ContactInput } from '../person-model/contacts.js';
import { namePartsOf } from '../person-model/names.js';
import type { PersonInput, PersonValues } from '../person-model/person-input.js';

/*
 * vCard 4.0 (RFC 6350) for persons, through ical.js (Mozilla's parser and writer of iCalendar and vCard: line
 * folding, escaping and parameters done right). Kept: FN / N, EMAIL / TEL / IMPP with their TYPE labels and PREF
 * (primary), ADR with its LABEL, BDAY, TITLE, ORG, NOTE and CATEGORIES (person labels).
 */

/** One card of a file: a person body, or why it could not be read. `row` counts cards from 1. */
export type VcardRecord =
  | { row: number; line: number; input: PersonInput; orgName?: string; labels: string[] }
  | { row: number; line: number; error: string };

// TYPE values that say how a value is used rather than naming it.
const NOT_LABELS = new Set(['pref', 'internet', 'voice', 'text', 'x400']);
const LABEL_FROM_TYPE: Record<string, string> = { cell: 'mobile' };
const TYPE_FROM_LABEL: Record<string, string> = { mobile: 'cell' };

/** Splits a file into cards and reads each on its own, so one broken card does not cost the others. */
export function readVcards(text: string): VcardRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const records: VcardRecord[] = [];
  let start = -1;
  let row = 0;
  lines.forEach((line, index) => {
    const upper = line.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      if (start >= 0) records.push({ row: ++row, line: start + 1, error: 'has no END:VCARD before the next BEGIN:VCARD' });
      start = index;
    } else if (upper === 'END:VCARD' && start >= 0) {
      records.push(readCard(lines.slice(start, index + 1).join('\r\n'), ++row, start + 1));
      start = -1;
    }
  });
  if (start >= 0) records.push({ row: ++row, line: start + 1, error: 'has no END:VCARD' });
  return records;
}

function readCard(text: string, row: number, line: number): VcardRecord {
  let card: ICAL.Component;
  try {
    card = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (err) {
    return { row, line, error: `cannot be read: ${(err as Error).message}` };
  }
  const input: PersonInput = {};
  const fn = textOf(card.getFirstPropertyValue('fn'));
  const n = card.getFirstPropertyValue('n') as unknown;
  const parts = Array.isArray(n) ? n.map((p) => textOf(p) ?? '') : typeof n === 'string' ? n.split(';') : [];
  const [family, given] = [parts[0]?.trim() || null, parts[1]?.trim() || null];
  if (fn) input.name = fn;
  // FN is the name as displayed; an N that does not make it up (titles, suffixes, another script) is left out
  // rather than refusing the card, and first_name / last_name are then split from FN.
  if ((given !== null || family !== null) && (!fn || namePartsOf(fn, given, family) !== null)) {
    input.first_name = given;
    input.last_name = family;
  }
  if (!fn && given === null && family === null) return { row, line, error: 'has neither FN nor N: a person needs a name' };

  const contacts = (name: string, value: (raw: string) => string): ContactInput[] =>
    card.getAllProperties(name).flatMap((property) => {
      const raw = textOf(property.getFirstValue());
      if (!raw) return [];
      const types = paramList(property.getParameter('type'));
      const label = types.find((t) => !NOT_LABELS.has(t.toLowerCase()));
      const primary = property.getParameter('pref') !== undefined || types.some((t) => t.toLowerCase() === 'pref');
      return [{ value: value(raw), ...(label && { label: LABEL_FROM_TYPE[label.toLowerCase()] ?? label }), ...(primary && { primary: true }) }];
    });
  const emails = contacts('email', (v) => v.replace(/^mailto:/i, ''));
  const phones = contacts('tel', (v) => v.replace(/^tel:/i, ''));
  const im = card.getAllProperties('impp').flatMap((property) => {
    const raw = textOf(property.getFirstValue());
    if (!raw) return [];
    const label = paramList(property.getParameter('type'))[0];
    if (label) return [{ value: raw, label }];
    const scheme = /^([a-z][a-z0-9+.-]*):(.+)$/i.exec(raw);
    return [scheme ? { value: scheme[2], label: scheme[1].toLowerCase() } : { value: raw }];
  });
  if (emails.length > 0) input.emails = onePrimary(emails);
  if (phones.length > 0) input.phones = onePrimary(phones);
  if (im.length > 0) input.im = im;

  const adr = card.getFirstProperty('adr');
  if (adr) {
    const value = adr.getFirstValue() as unknown;
    const [, ext, street, locality, region, code, country] = (Array.isArray(value) ? value : String(value ?? '').split(';')).map((p) => textOf(p) || null);
    const label = textOf(adr.getParameter('label'));
    const address = { value: label || [street, locality, region, code, country].filter(Boolean).join(', ') || null, subpremise: ext, route: street, locality, admin_area_level_1: region, postal_code: code, country };
    if (address.value) input.postal_address = address;
  }
  const bday = textOf(card.getFirstPropertyValue('bday'));
  const date = bday && /^(\d{4})-?(\d{2})-?(\d{2})/.exec(bday);
  // A birthday without a year (--0131) cannot be stored as a date; it is left out.
  if (date) input.birthday = `${date[1]}-${date[2]}-${date[3]}`;
  const title = textOf(card.getFirstPropertyValue('title'));
  if (title) input.job_title = title;
  const note = textOf(card.getFirstPropertyValue('note'));
  if (note) input.notes = note;
  const org = card.getFirstPropertyValue('org') as unknown;
  const orgName = (Array.isArray(org) ? textOf(org[0]) : textOf(org)) || undefined;
  const labels = card.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => textOf(v) ?? '')).filter(Boolean);
  return { row, line, input, labels, ...(orgName && { orgName }) };
}

function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return (typeof value === 'string' ? value : String(value)).trim();
}

function paramList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function onePrimary(items: ContactInput[]): ContactInput[] {
  let seen = false;
  return items.map((item) => {
    if (!item.primary) return item;
    if (seen) return { ...item, primary: false };
    seen = true;
    return item;
  });
}

/** A person as one vCard 4.0. */
export function personVcard(id: number, values: PersonValues, orgName: string | null, labelNames: string[]): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '4.0');
  card.addPropertyWithValue('uid', `urn:personsd:person:${id}`);
  card.addPropertyWithValue('fn', values.name);
  const n = new ICAL.Property('n');
  n.setValue([values.last_name ?? '', values.first_name ?? '', '', '', ''] as unknown as string);
  card.addProperty(n);
  const addContacts = (name: string, list: Contact[], prefix = '') => {
    for (const contact of list) {
      const property = new ICAL.Property(name);
      property.setValue(prefix + contact.value);
      property.setParameter('type', TYPE_FROM_LABEL[contact.label] ?? contact.label);
      if (contact.primary) property.setParameter('pref', '1');
      card.addProperty(property);
    }
  };
  addContacts('email', values.emails);
  addContacts('tel', values.phones);
  for (const handle of values.im) {
    const property = new ICAL.Property('impp');
    property.setValue(handle.value);
    property.setParameter('type', handle.label);
    card.addProperty(property);
  }
  if (values.postal_address) card.addProperty(addressProperty(values.postal_address));
  if (values.birthday) card.addPropertyWithValue('bday', values.birthday.replace(/-/g, ''));
  if (values.job_title) card.addPropertyWithValue('title', values.job_title);
  if (orgName) card.addPropertyWithValue('org', orgName);
  if (values.notes) card.addPropertyWithValue('note', values.notes);
  if (labelNames.length > 0) {
    const categories = new ICAL.Property('categories');
    categories.setValues(labelNames);
    card.addProperty(categories);
  }
  card.addPropertyWithValue('rev', values.update_time.replace(/[-:]/g, ''));
  return card.toString() + '\r\n';
}

function addressProperty(address: Address): ICAL.Property {
  const property = new ICAL.Property('adr');
  const street = [address.street_number, address.route].filter(Boolean).join(' ');
  property.setValue(['', address.subpremise ?? '', street, address.locality ?? '', address.admin_area_level_1 ?? '', address.postal_code ?? '', address.country ?? ''] as unknown as string);
  if (address.value) property.setParameter('label', address.value);
  return property;
}
