import { type Region, phoneKey } from '../normalize/contact-keys.js';
import type { SearchTerm } from './search-plan.js';
import { phoneDigits } from './search-text.js';

/**
 * A phone-like term also looks for its E.164 form, read in the company's region: `06 28 23 04 55` (FR) finds a
 * number stored as `+33 6 28 23 04 55`, whose key's digits the index holds. Persons' phones are indexed with their
 * keys' digits too, so `+33628230455` finds `0628230455` without this.
 */
export function withPhoneKey(term: SearchTerm, region: Region | undefined): SearchTerm {
  if (term.digits === null) return term;
  const keyDigits = phoneDigits(phoneKey(term.raw, region));
  return keyDigits !== '' && keyDigits !== term.digits ? { ...term, phoneKeyDigits: keyDigits } : term;
}
