import type { FilterTarget } from '../../store/filters/filter-predicate.js';
import type { FieldKind, FilterField, FilterFieldSource } from './filter-field-types.js';
import { activityFieldsV1 } from '../person-fields/activity-fields.js';

const column = (name: string, type: 'text' | 'number'): FilterTarget => ({ kind: 'column', column: name, type });

/**
 * Where each activity field a filter may name lives. `busy_flag` is left out: a stored null means "busy when it has
 * a time", which no single column holds, so a condition on it is refused as an unknown field rather than answered wrong.
 */
const ACTIVITY_FIELDS: Record<string, { kind: FieldKind; target: FilterTarget; minutes?: true }> = {
  subject: { kind: 'text', target: column('subject', 'text') },
  type: { kind: 'status', target: column('type', 'text') },
  due_date: { kind: 'date', target: column('due_date', 'text') },
  due_time: { kind: 'time', target: column('due_time', 'text'), minutes: true },
  duration: { kind: 'time', target: column('duration', 'text'), minutes: true },
  user_id: { kind: 'option', target: column('owner_id', 'number') },
  person_id: { kind: 'option', target: column('person_id', 'number') },
  org_id: { kind: 'option', target: column('org_id', 'number') },
  deal_id: { kind: 'option', target: column('deal_id', 'number') },
  done: { kind: 'option', target: column('done', 'number') },
  location: { kind: 'address', target: { kind: 'json', column: 'location', path: [], type: 'text' } },
  public_description: { kind: 'text', target: column('public_description', 'text') },
  note: { kind: 'text', target: column('note', 'text') },
  priority: { kind: 'option', target: column('priority', 'number') },
  marked_as_done_time: { kind: 'date', target: column('marked_as_done_time', 'text') },
  add_time: { kind: 'date', target: column('add_time', 'text') },
  update_time: { kind: 'date', target: column('update_time', 'text') },
};

/** Activity fields by the ids and keys `GET /v1/activityFields` lists (activities have no custom fields). */
export const activityFilterFields: FilterFieldSource = async () => FIELDS;

const FIELDS: FilterField[] = activityFieldsV1('').flatMap(({ id, key, name }) => {
  const field = ACTIVITY_FIELDS[key];
  return field ? [{ id: String(id), key, name, ...field }] : [];
});
