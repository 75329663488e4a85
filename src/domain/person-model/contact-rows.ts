import type { NewContactRow } from '../../store/repositories/persons.repository.js';
import { type ContactKind, type Region, contactKey } from '../normalize/contact-keys.js';
import type { Contact } from './contacts.js';
import type { PersonValues } from './person-input.js';

/** The person_contacts rows of a person's lists: each value as sent, with its canonical key beside it. */
export function contactRowsOf(values: Pick<PersonValues, 'emails' | 'phones' | 'im'>, region: Region | undefined): NewContactRow[] {
  const rows: NewContactRow[] = [];
  const add = (kind: ContactKind, list: Contact[]) =>
    list.forEach((c, position) =>
      rows.push({ kind, value: c.value, normalized: contactKey(kind, c.value, region), label: c.label, is_primary: c.primary ? 1 : 0, position }),
    );
  add('email', values.emails);
  add('phone', values.phones);
  add('im', values.im);
  return rows;
}
