import type { NewPersonChangeRow } from '../../store/repositories/person-changes.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { Actor } from '../actor.js';
import { nowStored } from '../time.js';

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

/** Every write reaches personsd through its API; Pipedrive's other sources (app, mobile, import) do not occur. */
export const CHANGE_SOURCE = 'api';

export interface FieldChange {
  field_key: string;
  is_custom: number;
  old_value: string | null;
  new_value: string | null;
}

type Render = (row: PersonRow) => string | null;

const text = (column: keyof PersonRow): Render => (row) => (row[column] === null ? null : String(row[column]));
const contactValues = (column: 'emails' | 'phones' | 'im'): Render => (row) => {
  const values = (JSON.parse(row[column]) as { value: string }[]).map((c) => c.value);
  return values.length > 0 ? values.join(', ') : null;
};

/** The system fields whose changes are recorded, under the keys Pipedrive's changelog uses, rendered as text. */
const SYSTEM_FIELDS: [string, Render][] = [
  ['name', text('name')],
  ['first_name', text('first_name')],
  ['last_name', text('last_name')],
  ['owner_id', text('owner_id')],
  ['org_id', text('org_id')],
  ['email', contactValues('emails')],
  ['phone', contactValues('phones')],
  ['im', contactValues('im')],
  ['visible_to', text('visible_to')],
  ['label', (row) => (JSON.parse(row.label_ids) as number[]).join(',') || null],
  ['postal_address', (row) => (row.postal_address === null ? null : addressText(JSON.parse(row.postal_address)))],
  ['notes', text('notes')],
  ['birthday', text('birthday')],
  ['job_title', text('job_title')],
  ['marketing_status', text('marketing_status')],
  ['picture_id', text('picture_id')],
  ['add_time', text('add_time')],
];

export function addressText(address: Record<string, string | null>): string | null {
  if (address.value) return address.value;
  const parts = Object.values(address).filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

/** A custom field value as the changelog shows it: text, a number, option ids joined by commas, or JSON. */
function customValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value.join(',');
  return JSON.stringify(value);
}

/** The field-level differences between two states of a person (update_time, which moves on every write, excluded). */
export function personFieldChanges(before: PersonRow, after: PersonRow): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [key, render] of SYSTEM_FIELDS) {
    const old_value = render(before);
    const new_value = render(after);
    if (old_value !== new_value) changes.push({ field_key: key, is_custom: 0, old_value, new_value });
  }
  return [...changes, ...customFieldChanges(before.custom_fields, after.custom_fields)];
}

/** The differences between two stored `custom_fields` JSON texts, one change per key. */
export function customFieldChanges(before: string, after: string): FieldChange[] {
  if (before === after) return [];
  const changes: FieldChange[] = [];
  const old = JSON.parse(before) as Record<string, unknown>;
  const now = JSON.parse(after) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
    const old_value = customValueText(old[key]);
    const new_value = customValueText(now[key]);
    if (old_value !== new_value) changes.push({ field_key: key, is_custom: 1, old_value, new_value });
  }
  return changes;
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
