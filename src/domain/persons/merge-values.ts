import type { Region } from '../normalize/contact-keys.js';
import { type Contact, type ContactKind, normalizedContactKey } from '../person-model/contacts.js';
import type { PersonValues } from '../person-model/person-input.js';

/**
 * The values of the person that survives a merge (Pipedrive's rule: the survivor's values win, its empty fields
 * are filled from the merged person). Emails, phones and IM handles are united, a value of the merged person
 * being added only when no value of the survivor has the same normalised form; labels are united too; custom
 * fields the survivor has no value for take the merged person's. Name, owner, visibility and add_time stay the
 * survivor's.
 */
export function mergePersonValues(survivor: PersonValues, merged: PersonValues, now: string, region?: Region): PersonValues {
  const marketingFromMerged = survivor.marketing_status === null && merged.marketing_status !== null;
  return {
    ...survivor,
    org_id: survivor.org_id ?? merged.org_id,
    emails: uniteContacts('email', survivor.emails, merged.emails, region),
    phones: uniteContacts('phone', survivor.phones, merged.phones, region),
    im: uniteContacts('im', survivor.im, merged.im, region),
    label_ids: [...new Set([...survivor.label_ids, ...merged.label_ids])],
    postal_address: survivor.postal_address ?? merged.postal_address,
    notes: survivor.notes ?? merged.notes,
    birthday: survivor.birthday ?? merged.birthday,
    job_title: survivor.job_title ?? merged.job_title,
    marketing_status: marketingFromMerged ? merged.marketing_status : survivor.marketing_status,
    marketing_status_changed: marketingFromMerged ? merged.marketing_status_changed : survivor.marketing_status_changed,
    custom_fields: fillCustomFields(survivor.custom_fields, merged.custom_fields),
    update_time: now,
  };
}

/** The survivor's list, then the merged person's items it lacks; one primary item, the survivor's if it has one. */
function uniteContacts(kind: ContactKind, survivor: Contact[], merged: Contact[], region: Region | undefined): Contact[] {
  const seen = new Set(survivor.map((c) => normalizedContactKey(kind, c.value, region)));
  const united = survivor.map((c) => ({ ...c }));
  for (const contact of merged) {
    const key = normalizedContactKey(kind, contact.value, region);
    if (seen.has(key)) continue;
    seen.add(key);
    united.push({ ...contact, primary: survivor.length === 0 && contact.primary });
  }
  if (united.length > 0 && !united.some((c) => c.primary)) united[0].primary = true;
  return united;
}

function fillCustomFields(survivor: Record<string, unknown>, merged: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...survivor };
  for (const [key, value] of Object.entries(merged)) {
    if ((filled[key] === undefined || filled[key] === null) && value !== null) filled[key] = value;
  }
  return filled;
}
