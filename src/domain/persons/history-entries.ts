import type { NewPersonChangeRow } from '../../store/repositories/person-changes.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { Actor } from '../actor.js';
import { nowStored } from '../time.js';
import { CHANGE_SOURCE, type FieldChange, type Render, addressText, fieldChanges, labels, text } from '../history/field-changes.js';

/** What a history entry records. */
export const HISTORY = {
  field: 'field',
  followerAdded: 'follower_added',
  followerRemoved: 'follower_removed',
  /** On the survivor of a merge; `related_id` is the person merged into it. */
  mergedFrom: 'merged_from',
  /** On the person merged away; `related_id` is the survivor. */
  mergedInto: 'merged_into',
} as const;

const contactValues = (column: 'emails' | 'phones' | 'im'): Render<PersonRow> => (row) => {
  const values = (JSON.parse(row[column]) as { value: string }[]).map((c) => c.value);
  return values.length > 0 ? values.join(', ') : null;
};

/** The system fields whose changes are recorded, under the keys Pipedrive's changelog uses, rendered as text. */
const SYSTEM_FIELDS: [string, Render<PersonRow>][] = [
  ['name', text('name')],
  ['first_name', text('first_name')],
  ['last_name', text('last_name')],
  ['owner_id', text('owner_id')],
  ['org_id', text('org_id')],
  ['email', contactValues('emails')],
  ['phone', contactValues('phones')],
  ['im', contactValues('im')],
  ['visible_to', text('visible_to')],
  ['label', labels],
  ['postal_address', (row) => (row.postal_address === null ? null : addressText(JSON.parse(row.postal_address)))],
  ['notes', text('notes')],
  ['birthday', text('birthday')],
  ['job_title', text('job_title')],
  ['marketing_status', text('marketing_status')],
  ['picture_id', text('picture_id')],
  ['add_time', text('add_time')],
];

/** The field-level differences between two states of a person (update_time, which moves on every write, excluded). */
export function personFieldChanges(before: PersonRow, after: PersonRow): FieldChange[] {
  return fieldChanges(SYSTEM_FIELDS, before, after);
}

/** A history entry of any kind, stamped now with the acting user. */
export function historyEntry(actor: Actor, personId: number, kind: string, extra: Partial<NewPersonChangeRow> = {}): NewPersonChangeRow {
  return {
    company_id: actor.companyId,
    person_id: personId,
    kind,
    field_key: null,
    is_custom: 0,
    old_value: null,
    new_value: null,
    related_id: null,
    actor_user_id: actor.userId,
    change_source: CHANGE_SOURCE,
    change_source_user_agent: actor.userAgent ?? null,
    time: nowStored(),
    ...extra,
  };
}
