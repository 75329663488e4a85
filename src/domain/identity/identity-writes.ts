import type { Executor } from '../../store/executor.js';
import { type PersonIdentityRows, writePersonIdentityRows } from '../../store/repositories/person-identity-rows.repository.js';
import type { NewContactRow } from '../../store/repositories/persons.repository.js';
import type { ContactInput } from '../person-model/contacts.js';
import type { PersonInput, PersonValues } from '../person-model/person-input.js';
import { changedContactKinds } from '../person-model/person-row.js';
import { type ContactKind, type Region, contactKey } from '../normalize/contact-keys.js';
import type { DuplicateSubject } from './duplicates.js';
import { contactRowsOf } from '../person-model/contact-rows.js';
import { identityOf } from './person-identity.js';

/** What a write stores of a person's identity, and the phone keys among it (in order; absent when contacts stay). */
export interface IdentityRows {
  rows: PersonIdentityRows;
  phoneKeys: string[] | undefined;
}

/**
 * A person's contact rows (values with their canonical keys) and match keys as `values` has them. With `previous`
 * (an update), only what the change touched: the rows of the contact lists that changed, and the match keys when
 * what they derive from (name, last name, organization, emails) changed; rows left as they were are absent.
 */
export function identityRowsOf(values: PersonValues, region: Region | undefined, previous?: PersonValues): IdentityRows {
  const kinds = previous === undefined ? undefined : changedContactKinds(previous, values);
  const all = kinds === undefined || kinds.length > 0 ? contactRowsOf(values, region) : undefined;
  const contacts = kinds === undefined ? all : all?.filter((row) => kinds.includes(row.kind as ContactKind));
  const keysMayChange = kinds === undefined || kinds.includes('email') || identityFieldsChanged(previous, values);
  const matchKeys = keysMayChange ? identityOf(values, region, all).matchKeys : undefined;
  return { rows: { contacts, contactKinds: kinds, matchKeys }, phoneKeys: all && phoneKeysIn(all) };
}

/**
 * Rewrites a person's contact rows and match keys, in the write's transaction. With `previous` (an update), only
 * what the change touched. Answers the phone keys it stored (in order), or undefined when the contact rows were left
 * as they were.
 */
export async function writeIdentity(
  trx: Executor,
  companyId: number,
  personId: number,
  values: PersonValues,
  region: Region | undefined,
  previous?: PersonValues,
): Promise<string[] | undefined> {
  const identity = identityRowsOf(values, region, previous);
  await writePersonIdentityRows(trx, companyId, personId, identity.rows, true);
  return identity.phoneKeys;
}

function phoneKeysIn(contacts: NewContactRow[]): string[] {
  return contacts.filter((c) => c.kind === 'phone').map((c) => c.normalized);
}

/** Whether a write changed anything duplicate rules look at. */
export function identityChanged(previous: PersonValues, next: PersonValues): boolean {
  return identityFieldsChanged(previous, next) || JSON.stringify(previous.emails) !== JSON.stringify(next.emails) || JSON.stringify(previous.phones) !== JSON.stringify(next.phones);
}

function identityFieldsChanged(previous: PersonValues | undefined, next: PersonValues): boolean {
  return previous === undefined || previous.name !== next.name || previous.last_name !== next.last_name || previous.org_id !== next.org_id;
}

export function subjectOf(values: PersonValues, region: Region | undefined, id?: number): DuplicateSubject {
  return { id, name: values.name, identity: identityOf(values, region) };
}

/**
 * A create body turned into the update `upsert` applies to the person it matched: given fields overwrite, but
 * emails, phones and IM handles are added to the person's own (a value it has already, by key, is not repeated)
 * and labels are united, so an upsert never loses a contact value. add_time / update_time stay the person's.
 */
export function upsertInput(current: PersonValues, input: PersonInput, region: Region | undefined): PersonInput {
  const { add_time: _add, update_time: _update, ...rest } = input;
  const united: PersonInput = { ...rest };
  const unite = (kind: 'email' | 'phone' | 'im', own: ContactInput[], sent: ContactInput[] | undefined) => {
    if (sent === undefined) return undefined;
    const seen = new Set(own.map((c) => contactKey(kind, c.value, region)));
    const added = sent.filter((c) => {
      const key = contactKey(kind, c.value.trim(), region);
      if (c.value.trim() === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return [...own, ...added.map((c) => ({ value: c.value, label: c.label }))];
  };
  united.emails = unite('email', current.emails, input.emails);
  united.phones = unite('phone', current.phones, input.phones);
  const im = unite('im', current.im, input.im ?? input.ims);
  delete united.ims;
  united.im = im;
  if (input.label_ids !== undefined) united.label_ids = [...new Set([...current.label_ids, ...input.label_ids])];
  for (const key of ['emails', 'phones', 'im', 'label_ids'] as const) if (united[key] === undefined) delete united[key];
  return united;
}
