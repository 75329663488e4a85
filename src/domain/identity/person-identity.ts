import type { NewContactRow } from '../../store/repositories/persons.repository.js';
import type { NewMatchKeyRow } from '../../store/repositories/person-match-keys.repository.js';
import type { PersonValues } from '../person-model/person-input.js';
import { type Region, contactKey, emailDomain } from '../normalize/contact-keys.js';
import { type MatchKeyRule, isCompanyDomain } from './duplicate-rules.js';
import { nameKey, surnameKey } from '../normalize/name-keys.js';

/** What identifies a person for duplicate checks: canonical contact keys and name-derived match keys. */
export interface PersonIdentity {
  emails: string[];
  phones: string[];
  /** Folded sorted name tokens ('' when the name has none). */
  name: string;
  matchKeys: NewMatchKeyRow[];
}

/** The identity of a person's values, phones read in `region`. */
export function identityOf(
  values: Pick<PersonValues, 'name' | 'last_name' | 'org_id' | 'emails' | 'phones'>,
  region: Region | undefined,
  /** The person's contact rows when the caller has them already (their keys are these keys). */
  contacts?: readonly NewContactRow[],
): PersonIdentity {
  const keysOf = (kind: 'email' | 'phone', list: { value: string }[]) =>
    unique(contacts ? contacts.filter((c) => c.kind === kind).map((c) => c.normalized) : list.map((c) => contactKey(kind, c.value, region)));
  const emails = keysOf('email', values.emails);
  const phones = keysOf('phone', values.phones);
  const name = nameKey(values.name);
  const matchKeys: NewMatchKeyRow[] = [];
  const add = (rule: MatchKeyRule, key: string) => matchKeys.push({ rule, key });
  if (name !== '') {
    add('name', name);
    if (values.org_id !== null) add('org_name', `${values.org_id}|${name}`);
  }
  const surname = surnameKey(values.name, values.last_name);
  if (surname !== null) {
    for (const domain of unique(emails.map(emailDomain))) if (isCompanyDomain(domain)) add('domain_surname', `${domain}|${surname}`);
  }
  return { emails, phones, name, matchKeys };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}
