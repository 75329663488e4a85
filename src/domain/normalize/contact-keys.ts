import { domainToASCII } from 'node:url';
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { invalid } from '../errors.js';

/*
 * Canonical keys of contact values: what duplicate checks, merges and phone search compare, stored beside the value
 * as sent (person_contacts.normalized), never instead of it.
 */

export type ContactKind = 'email' | 'phone' | 'im';

/** An ISO 3166-1 alpha-2 region national phone numbers are read in (`FR`: `06 28 23 04 55` is +33628230455). */
export type Region = CountryCode;

/** The region code in upper case when libphonenumber knows it; a 400 naming `field` otherwise. */
export function parseRegion(value: string, field: string): Region {
  const code = value.trim().toUpperCase();
  if (!isSupportedCountry(code)) throw invalid(`${field} "${value}" is not a region code phone numbers can be read in`, 'Use an ISO 3166-1 alpha-2 code such as FR, DE or US.');
  return code;
}

/**
 * A phone number in E.164 (`+33628230455`) when it can be read as one, an international number (`+…`, `00…`)
 * needing no region; otherwise its digits alone, so two spellings of an unreadable number still meet.
 */
export function phoneKey(value: string, region: Region | undefined): string {
  const parsed = parsePhoneNumberFromString(value, region === undefined ? undefined : { defaultCountry: region });
  if (parsed?.isPossible()) return parsed.number;
  return value.replace(/\D+/g, '');
}

/** An email lower-cased, its domain in IDNA ASCII form (`Jane@Bücher.DE` → `jane@xn--bcher-kva.de`). */
export function emailKey(value: string): string {
  const trimmed = value.trim().normalize('NFC');
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed.toLowerCase();
  const local = trimmed.slice(0, at).toLowerCase();
  const domain = trimmed.slice(at + 1).toLowerCase();
  // domainToASCII answers '' for a name it cannot convert; the lower-cased domain still compares equal to itself.
  return `${local}@${domainToASCII(domain) || domain}`;
}

/** The domain part of an email key. */
export function emailDomain(key: string): string {
  return key.slice(key.lastIndexOf('@') + 1);
}

export function contactKey(kind: ContactKind, value: string, region: Region | undefined): string {
  if (kind === 'phone') return phoneKey(value, region);
  if (kind === 'email') return emailKey(value);
  return value.trim().toLowerCase();
}
