import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { ActivityRow } from '../../store/repositories/activities.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { UserRow } from '../../store/repositories/users.repository.js';
import { toV1Time } from '../time.js';
import { type ActivityLocation, LOCATION_PARTS } from './activity-input.js';

/** The names a page of v1 activities shows beside its ids, read once per page. */
export interface ActivityNames {
  persons: ReadonlyMap<number, Pick<PersonRow, 'name'>>;
  organizations: ReadonlyMap<number, Pick<OrganizationRow, 'name'>>;
  deals: ReadonlyMap<number, Pick<DealRow, 'title'>>;
  users: ReadonlyMap<number, Pick<UserRow, 'name'>>;
}

/** Busy unless said otherwise when it has a time; free when all day (Pipedrive's default for an unset flag). */
const busy = (row: ActivityRow) => (row.busy_flag === null ? row.due_time !== null : row.busy_flag === 1);
const withSeconds = (time: string | null) => (time === null ? null : `${time}:00`);
const locationOf = (row: ActivityRow) => (row.location === null ? null : (JSON.parse(row.location) as ActivityLocation));

/** An activity in v2's shape; attendees only when asked for (`include_fields=attendees`). */
export function renderActivityV2(row: ActivityRow, includeAttendees = false): Record<string, unknown> {
  const participants = JSON.parse(row.participants) as { person_id: number; primary: boolean }[];
  return {
    id: row.id,
    subject: row.subject,
    type: row.type,
    owner_id: row.owner_id,
    creator_user_id: row.creator_user_id,
    is_deleted: row.deleted_time !== null,
    add_time: row.add_time,
    update_time: row.update_time,
    deal_id: row.deal_id,
    lead_id: null,
    person_id: row.person_id,
    org_id: row.org_id,
    project_id: null,
    due_date: row.due_date,
    due_time: withSeconds(row.due_time),
    duration: withSeconds(row.duration),
    busy: busy(row),
    done: row.done === 1,
    marked_as_done_time: row.marked_as_done_time,
    location: locationOf(row),
    participants,
    ...(includeAttendees && { attendees: JSON.parse(row.attendees) as unknown[] }),
    conference_meeting_client: null,
    conference_meeting_url: null,
    conference_meeting_id: null,
    public_description: row.public_description,
    priority: row.priority,
    note: row.note,
  };
}

/** An activity in v1's shape: names beside the ids, the location's parts as location_* fields, empty times as "". */
export function renderActivityV1(row: ActivityRow, names: ActivityNames): Record<string, unknown> {
  const location = locationOf(row);
  const parts: Record<string, string | null> = {};
  for (const part of LOCATION_PARTS) if (part !== 'value') parts[`location_${part}`] = location?.[part] ?? null;
  const participants = JSON.parse(row.participants) as { person_id: number; primary: boolean }[];
  return {
    id: row.id,
    company_id: row.company_id,
    user_id: row.owner_id,
    done: row.done === 1,
    type: row.type,
    reference_type: null,
    reference_id: null,
    conference_meeting_client: null,
    conference_meeting_url: null,
    conference_meeting_id: null,
    due_date: row.due_date,
    due_time: row.due_time ?? '',
    duration: row.duration ?? '',
    busy_flag: busy(row),
    add_time: toV1Time(row.add_time),
    marked_as_done_time: toV1Time(row.marked_as_done_time) ?? '',
    last_notification_time: null,
    last_notification_user_id: null,
    notification_language_id: null,
    subject: row.subject,
    public_description: row.public_description,
    calendar_sync_include_context: null,
    location: location?.value ?? null,
    org_id: row.org_id,
    person_id: row.person_id,
    deal_id: row.deal_id,
    lead_id: null,
    project_id: null,
    active_flag: row.deleted_time === null,
    update_time: toV1Time(row.update_time),
    update_user_id: row.update_user_id,
    source_timezone: null,
    rec_rule: null,
    rec_rule_extension: null,
    rec_master_activity_id: null,
    series: null,
    note: row.note,
    created_by_user_id: row.creator_user_id,
    ...parts,
    location_formatted_address: location?.value ?? null,
    attendees: JSON.parse(row.attendees) as unknown[],
    participants: participants.map((p) => ({ person_id: p.person_id, primary_flag: p.primary })),
    priority: row.priority,
    org_name: row.org_id === null ? null : (names.organizations.get(row.org_id)?.name ?? null),
    person_name: row.person_id === null ? null : (names.persons.get(row.person_id)?.name ?? null),
    deal_title: row.deal_id === null ? null : (names.deals.get(row.deal_id)?.title ?? null),
    owner_name: names.users.get(row.owner_id)?.name ?? null,
    person_dropbox_bcc: null,
    deal_dropbox_bcc: null,
    assigned_to_user_id: row.owner_id,
    file: null,
  };
}

/** What `GET /v1/activities/collection` answers of an activity: the v1 fields without names, notes or people. */
const COLLECTION_KEYS = [
  'id', 'company_id', 'user_id', 'done', 'type', 'busy_flag', 'conference_meeting_client', 'conference_meeting_url', 'conference_meeting_id', 'due_date',
  'due_time', 'duration', 'add_time', 'marked_as_done_time', 'subject', 'public_description', 'location', 'org_id', 'person_id', 'deal_id', 'lead_id',
  'project_id', 'active_flag', 'update_time', 'update_user_id', 'source_timezone', 'location_subpremise', 'location_street_number', 'location_route',
  'location_sublocality', 'location_locality', 'location_admin_area_level_1', 'location_admin_area_level_2', 'location_country', 'location_postal_code',
  'location_formatted_address',
] as const;
const NO_NAMES: ActivityNames = { persons: new Map(), organizations: new Map(), deals: new Map(), users: new Map() };

export function renderActivityCollectionItem(row: ActivityRow): Record<string, unknown> {
  const full = renderActivityV1(row, NO_NAMES);
  return Object.fromEntries(COLLECTION_KEYS.map((key) => [key, full[key] ?? null]));
}
