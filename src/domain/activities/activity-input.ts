import type { ActivityRow } from '../../store/repositories/activities.repository.js';
import { invalid } from '../errors.js';
import { limitedText, requiredName } from '../field-rules.js';
import { isCalendarDate } from '../time.js';
import { sanitizeNoteContent } from '../notes/note-content.js';
import { PRIORITY_IDS } from '../person-fields/activity-fields.js';

export const LOCATION_PARTS = [
  'value', 'country', 'admin_area_level_1', 'admin_area_level_2', 'locality', 'sublocality', 'route', 'street_number', 'subpremise', 'postal_code',
] as const;
export type ActivityLocation = Partial<Record<(typeof LOCATION_PARTS)[number], string | null>>;

export interface ParticipantInput {
  person_id: number;
  primary?: boolean;
  /** v1's name for `primary`. */
  primary_flag?: boolean;
}

export interface AttendeeInput {
  email?: string | null;
  /** v1's name for `email`. */
  email_address?: string | null;
  name?: string | null;
  status?: string | null;
  is_organizer?: boolean | number | null;
  person_id?: number | null;
  user_id?: number | null;
}

/** An activity body, v1 (POST/PUT) or v2 (POST/PATCH): `null` clears a link or an optional value. */
export interface ActivityInput {
  subject?: string;
  type?: string;
  /** v2's owner; v1 calls it user_id. */
  owner_id?: number;
  user_id?: number;
  person_id?: number | null;
  org_id?: number | null;
  deal_id?: number | null;
  lead_id?: string | null;
  project_id?: number | null;
  due_date?: string | null;
  due_time?: string | null;
  duration?: string | null;
  /** v2 boolean; v1 0/1. */
  done?: boolean | number;
  busy?: boolean;
  busy_flag?: boolean | null;
  /** v2 object; v1 the address as text. */
  location?: ActivityLocation | string | null;
  participants?: ParticipantInput[];
  attendees?: AttendeeInput[];
  public_description?: string | null;
  priority?: number | null;
  note?: string | null;
}

/** The columns an activity's input decides. */
export type ActivityValues = Pick<
  ActivityRow,
  | 'subject' | 'type' | 'owner_id' | 'person_id' | 'org_id' | 'deal_id' | 'participants' | 'attendees' | 'due_date' | 'due_time' | 'duration'
  | 'done' | 'marked_as_done_time' | 'busy_flag' | 'location' | 'note' | 'public_description' | 'priority'
>;

export function newActivityValues(ownerId: number, today: string): ActivityValues {
  return {
    subject: '', type: '', owner_id: ownerId, person_id: null, org_id: null, deal_id: null, participants: '[]', attendees: '[]',
    due_date: today, due_time: null, duration: null, done: 0, marked_as_done_time: null, busy_flag: null, location: null, note: null,
    public_description: null, priority: null,
  };
}

const MAX_TEXT = 100_000;

/**
 * Applies a body to an activity's values. Checks formats only; the service checks that the type, the owner and
 * the linked records exist (it reads the store). `now` stamps marked_as_done_time when the activity becomes done.
 */
export function applyActivityInput(current: ActivityValues, input: ActivityInput, now: string): ActivityValues {
  for (const link of ['lead_id', 'project_id'] as const) {
    if (input[link] !== undefined && input[link] !== null) throw invalid(`${link}: personsd stores no leads or projects`, 'Link the activity to a person_id, org_id or deal_id.');
  }
  const next = { ...current };
  if (input.subject !== undefined) next.subject = requiredName('subject', input.subject);
  if (input.type !== undefined) next.type = input.type.trim();
  const owner = input.owner_id ?? input.user_id;
  if (input.owner_id !== undefined && input.user_id !== undefined && input.owner_id !== input.user_id) throw invalid('owner_id and user_id name different users');
  if (owner !== undefined) next.owner_id = owner;
  if (input.org_id !== undefined) next.org_id = input.org_id;
  if (input.deal_id !== undefined) next.deal_id = input.deal_id;
  applyParticipants(next, input);
  if (input.attendees !== undefined) next.attendees = JSON.stringify(input.attendees.map(attendee));
  if (input.due_date !== undefined) {
    if (input.due_date === null || !isCalendarDate(input.due_date)) throw invalid(`due_date must be a real date in the form YYYY-MM-DD; got ${JSON.stringify(input.due_date)}`);
    next.due_date = input.due_date;
  }
  if (input.due_time !== undefined) next.due_time = clockTime('due_time', input.due_time, 23);
  if (input.duration !== undefined) next.duration = clockTime('duration', input.duration, 99);
  if (input.done !== undefined) {
    const done = input.done === true || input.done === 1 ? 1 : input.done === false || input.done === 0 ? 0 : undefined;
    if (done === undefined) throw invalid('done must be true or false (v1: 0 or 1)');
    if (done !== next.done) next.marked_as_done_time = done === 1 ? now : null;
    next.done = done;
  }
  if (input.busy !== undefined) next.busy_flag = input.busy ? 1 : 0;
  if (input.busy_flag !== undefined) next.busy_flag = input.busy_flag === null ? null : input.busy_flag ? 1 : 0;
  if (input.location !== undefined) next.location = location(input.location);
  if (input.public_description !== undefined) next.public_description = limitedText('public_description', input.public_description, MAX_TEXT);
  if (input.priority !== undefined) {
    if (input.priority !== null && !PRIORITY_IDS.includes(input.priority)) {
      throw invalid(`priority ${input.priority} is not an option of the priority field`, `Use one of ${PRIORITY_IDS.join(', ')} (GET /v1/activityFields lists them), or null.`);
    }
    next.priority = input.priority;
  }
  if (input.note !== undefined) {
    if (input.note !== null && input.note.length > MAX_TEXT) throw invalid(`note may be at most ${MAX_TEXT} characters`);
    const note = input.note === null ? '' : sanitizeNoteContent(input.note);
    next.note = note.trim() === '' ? null : note;
  }
  return next;
}

/**
 * person_id is the primary participant. Given alone it makes the participants that one person; participants given
 * alone make their primary (or first) the person; given both, person_id becomes the primary participant.
 */
function applyParticipants(next: ActivityValues, input: ActivityInput): void {
  if (input.participants === undefined) {
    if (input.person_id === undefined) return;
    next.person_id = input.person_id;
    next.participants = JSON.stringify(input.person_id === null ? [] : [{ person_id: input.person_id, primary: true }]);
    return;
  }
  const ids: number[] = [];
  let primary: number | null = null;
  for (const p of input.participants) {
    if (!Number.isSafeInteger(p.person_id) || p.person_id < 1) throw invalid('participants: every participant needs a person_id');
    if (ids.includes(p.person_id)) throw invalid(`participants: person ${p.person_id} is listed twice`);
    ids.push(p.person_id);
    if (p.primary === true || p.primary_flag === true) {
      if (primary !== null) throw invalid('participants: only one participant can be primary');
      primary = p.person_id;
    }
  }
  if (input.person_id !== undefined && input.person_id !== null) {
    primary = input.person_id;
    if (!ids.includes(primary)) ids.unshift(primary);
  }
  if (primary === null && ids.length > 0) primary = ids[0];
  next.person_id = primary;
  next.participants = JSON.stringify(ids.map((person_id) => ({ person_id, primary: person_id === primary })));
}

/** HH:MM or HH:MM:SS with no seconds, stored as HH:MM; null or '' clears it. */
function clockTime(field: string, value: string | null, maxHours: number): string | null {
  if (value === null || value === '') return null;
  const match = /^(\d{2}):([0-5]\d)(?::00)?$/.exec(value);
  if (!match || Number(match[1]) > maxHours) {
    throw invalid(`${field}: "${value}" is not a ${field === 'duration' ? 'duration' : 'time of day'}`, `Use HH:MM${field === 'due_time' ? ' in UTC' : ''}, for example 14:30.`);
  }
  return `${match[1]}:${match[2]}`;
}

function location(value: ActivityLocation | string | null): string | null {
  if (value === null) return null;
  const parts: ActivityLocation = typeof value === 'string' ? { value } : value;
  const kept: Record<string, string | null> = {};
  for (const key of Object.keys(parts)) {
    if (!(LOCATION_PARTS as readonly string[]).includes(key)) throw invalid(`location.${key} is not a part of a location`, `Parts: ${LOCATION_PARTS.join(', ')}.`);
  }
  for (const key of LOCATION_PARTS) kept[key] = limitedText(`location.${key}`, parts[key] ?? null, 1000);
  return Object.values(kept).every((v) => v === null || v === '') ? null : JSON.stringify(kept);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function attendee(a: AttendeeInput) {
  const email = a.email ?? a.email_address ?? null;
  if (email !== null && !EMAIL.test(email)) throw invalid(`attendees: "${email}" is not an e-mail address`);
  if (email === null && (a.person_id ?? null) === null && (a.user_id ?? null) === null) throw invalid('attendees: every attendee needs an email, a person_id or a user_id');
  return {
    email,
    name: limitedText('attendees.name', a.name ?? null, 255),
    status: limitedText('attendees.status', a.status ?? null, 50),
    is_organizer: a.is_organizer === true || a.is_organizer === 1,
    person_id: a.person_id ?? null,
    user_id: a.user_id ?? null,
  };
}
