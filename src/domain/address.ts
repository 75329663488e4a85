import { invalid } from './errors.js';

export const ADDRESS_PARTS = [
  'value',
  'country',
  'admin_area_level_1',
  'admin_area_level_2',
  'locality',
  'sublocality',
  'route',
  'street_number',
  'subpremise',
  'postal_code',
] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];
export type Address = Record<string, string | null>;

const MAX_PART = 255;

/**
 * Normalises a postal address object: every known part present (null when not given), blank parts null, and
 * `value` (the full address) composed from the parts when only parts were sent. An address with no part at all
 * is no address (null).
 */
export function normalizeAddress(field: string, input: Record<string, unknown> | null, parts: readonly string[] = ADDRESS_PARTS): Address | null {
  if (input === null) return null;
  const address: Address = {};
  let any = false;
  for (const part of parts) {
    const value = input[part];
    const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    if (text !== null && text.length > MAX_PART) throw invalid(`${field}.${part} is longer than ${MAX_PART} characters`);
    address[part] = text;
    any ||= text !== null;
  }
  if (!any) return null;
  if (address.value === null) {
    const street = [address.street_number, address.route].filter(Boolean).join(' ');
    const town = [address.postal_code, address.locality].filter(Boolean).join(' ');
    address.value = [street, address.subpremise, town, address.admin_area_level_1, address.country].filter(Boolean).join(', ');
  }
  return address;
}
