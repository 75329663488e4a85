import type { NewContactRow, PersonRow } from '../../store/repositories/persons.repository.js';
import type { ContactKind, Region } from '../normalize/contact-keys.js';
import { contactRowsOf } from './contact-rows.js';
import type { MarketingStatus, PersonValues } from './person-input.js';

/** The values of a new person before any input is applied. */
export function emptyPersonValues(ownerId: number, now: string): PersonValues {
  return {
    name: '',
    first_name: null,
    last_name: null,
    owner_id: ownerId,
    org_id: null,
    emails: [],
    phones: [],
    im: [],
    visible_to: 3,
    label_ids: [],
    postal_address: null,
    notes: null,
    birthday: null,
    job_title: null,
    marketing_status: null,
    marketing_status_changed: false,
    custom_fields: {},
    add_time: now,
    update_time: now,
  };
}

export function valuesFromRow(row: PersonRow): PersonValues {
  return {
    name: row.name,
    first_name: row.first_name,
    last_name: row.last_name,
    owner_id: row.owner_id,
    org_id: row.org_id,
    emails: JSON.parse(row.emails),
    phones: JSON.parse(row.phones),
    im: JSON.parse(row.im),
    visible_to: row.visible_to,
    label_ids: JSON.parse(row.label_ids),
    postal_address: row.postal_address === null ? null : JSON.parse(row.postal_address),
    notes: row.notes,
    birthday: row.birthday,
    job_title: row.job_title,
    marketing_status: row.marketing_status as MarketingStatus | null,
    marketing_status_changed: row.marketing_status_changed === 1,
    custom_fields: JSON.parse(row.custom_fields),
    add_time: row.add_time,
    update_time: row.update_time,
  };
}

/** The stored columns of a person's values; JSON columns hold exactly what is sent to clients. */
export function columnsFromValues(values: PersonValues) {
  return {
    name: values.name,
    first_name: values.first_name,
    last_name: values.last_name,
    owner_id: values.owner_id,
    org_id: values.org_id,
    emails: JSON.stringify(values.emails),
    phones: JSON.stringify(values.phones),
    im: JSON.stringify(values.im),
    visible_to: values.visible_to,
    label_ids: JSON.stringify(values.label_ids),
    postal_address: values.postal_address === null ? null : JSON.stringify(values.postal_address),
    notes: values.notes,
    birthday: values.birthday,
    job_title: values.job_title,
    marketing_status: values.marketing_status,
    marketing_status_changed: values.marketing_status_changed ? 1 : 0,
    custom_fields: JSON.stringify(values.custom_fields),
    add_time: values.add_time,
    update_time: values.update_time,
  };
}

/** The person_contacts rows of a person's lists, keys read in `region` (see identity/person-identity.ts). */
export function contactRows(values: PersonValues, region?: Region): NewContactRow[] {
  return contactRowsOf(values, region);
}

/** The contact lists (emails, phones, IM handles) that differ, so an update rewrites only their lookup rows. */
export function changedContactKinds(a: PersonValues, b: PersonValues): ContactKind[] {
  const kinds: ContactKind[] = [];
  if (JSON.stringify(a.emails) !== JSON.stringify(b.emails)) kinds.push('email');
  if (JSON.stringify(a.phones) !== JSON.stringify(b.phones)) kinds.push('phone');
  if (JSON.stringify(a.im) !== JSON.stringify(b.im)) kinds.push('im');
  return kinds;
}
