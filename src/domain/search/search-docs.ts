import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { SearchDoc } from '../../store/search/search-match.js';
import { indexText, phoneDigits } from './search-text.js';

/** A custom field whose values search looks into (types address, varchar, text, varchar_auto, double, monetary, phone). */
export interface SearchableField {
  key: string;
  type: string;
}

/** One custom value as search sees it: its text, and whether it is a phone number (also matched on digits). */
export interface CustomText {
  key: string;
  text: string;
  phone: boolean;
}

/** The text of each searchable custom value a row holds, in field order. */
export function customTexts(customFieldsJson: string, fields: readonly SearchableField[]): CustomText[] {
  if (fields.length === 0 || customFieldsJson === '{}') return [];
  const values = JSON.parse(customFieldsJson) as Record<string, unknown>;
  const texts: CustomText[] = [];
  for (const field of fields) {
    const text = valueText(field.type, values[field.key]);
    if (text !== undefined && text !== '') texts.push({ key: field.key, text, phone: field.type === 'phone' });
  }
  return texts;
}

function valueText(type: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object') return undefined;
  const inner = (value as Record<string, unknown>).value;
  // monetary {value: 500, currency}, address {value: "1 Main St", …}
  if (type === 'monetary' && typeof inner === 'number') return String(inner);
  if (type === 'address' && typeof inner === 'string') return inner;
  return undefined;
}

/** Custom values, phone-typed ones a second time as digits so a phone-like term finds them whatever the format. */
function customIndexText(texts: CustomText[]): string {
  return indexText(texts.flatMap((t) => (t.phone ? [t.text, phoneDigits(t.text)] : [t.text])));
}

/**
 * A person's indexed text. Phones are indexed as their digits and, beside them, the digits of their canonical
 * E.164 keys (person_contacts.normalized), so `0628230455` and `+33628230455` find one another.
 */
export function personSearchDoc(row: PersonRow, fields: readonly SearchableField[], phoneKeys: readonly string[] = []): SearchDoc {
  const emails = JSON.parse(row.emails) as Array<{ value: string }>;
  const phones = JSON.parse(row.phones) as Array<{ value: string }>;
  const phoneTexts = new Set([...phones.map((p) => phoneDigits(p.value)), ...phoneKeys.map(phoneDigits)]);
  return {
    name: indexText([row.name]),
    email: indexText(emails.map((e) => e.value)),
    phone: indexText(phoneTexts),
    custom: customIndexText(customTexts(row.custom_fields, fields)),
    notes: row.notes === null ? '' : indexText([row.notes]),
  };
}

export function organizationSearchDoc(row: OrganizationRow, fields: readonly SearchableField[]): SearchDoc {
  const address = row.address === null ? null : (JSON.parse(row.address) as { value?: string | null });
  return {
    name: indexText([row.name]),
    address: address?.value ? indexText([address.value]) : '',
    custom: customIndexText(customTexts(row.custom_fields, fields)),
  };
}

export function dealSearchDoc(row: DealRow): SearchDoc {
  return { title: indexText([row.title]) };
}
