/** The priority field's options: an activity's `priority` is one of these ids (or null). */
export const PRIORITY_OPTIONS = [
  { id: 1, label: 'High' },
  { id: 2, label: 'Medium' },
  { id: 3, label: 'Low' },
] as const;
export const PRIORITY_IDS: readonly number[] = PRIORITY_OPTIONS.map((o) => o.id);

/** [key, name, field_type, mandatory]: the activity fields personsd stores, in Pipedrive's order. No custom activity fields. */
const FIELDS: readonly [string, string, string, boolean][] = [
  ['subject', 'Subject', 'varchar', true],
  ['type', 'Type', 'varchar_options', true],
  ['due_date', 'Due date', 'date', true],
  ['due_time', 'Due time', 'time', false],
  ['duration', 'Duration', 'time', false],
  ['user_id', 'Assigned to user', 'user', true],
  ['person_id', 'Contact person', 'people', false],
  ['org_id', 'Organization', 'org', false],
  ['deal_id', 'Deal', 'deal', false],
  ['done', 'Done', 'boolean', false],
  ['busy_flag', 'Free/busy', 'boolean', false],
  ['location', 'Location', 'address', false],
  ['public_description', 'Description', 'text', false],
  ['note', 'Note', 'text', false],
  ['priority', 'Priority', 'enum', false],
  ['marked_as_done_time', 'Marked as done time', 'date', false],
  ['add_time', 'Add time', 'date', false],
  ['update_time', 'Update time', 'date', false],
];

/** The fields in v1's shape (`GET /v1/activityFields`): system fields, not editable, times of the company's start. */
export function activityFieldsV1(since: string) {
  return FIELDS.map(([key, name, field_type, mandatory], i) => ({
    id: i + 1,
    key,
    name,
    order_nr: i + 1,
    field_type,
    add_time: since,
    update_time: since,
    last_updated_by_user_id: null,
    created_by_user_id: null,
    active_flag: true,
    edit_flag: false,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: true,
    important_flag: false,
    bulk_edit_allowed: key !== 'add_time' && key !== 'update_time' && key !== 'marked_as_done_time',
    searchable_flag: key === 'subject',
    filtering_allowed: true,
    sortable_flag: true,
    mandatory_flag: mandatory,
    options: key === 'priority' ? PRIORITY_OPTIONS.map((o) => ({ ...o })) : null,
  }));
}

/** v2 names two fields differently from v1: the assigned user is `owner_id`, free/busy is `busy`. */
const V2_CODES: Record<string, string> = { user_id: 'owner_id', busy_flag: 'busy' };
/** The parts of an activity's location personsd stores (v2's `location` object). */
const LOCATION_PARTS: [string, string][] = [
  ['value', 'Address value'], ['street_number', 'House number'], ['route', 'Street/road name'], ['subpremise', 'Apartment/suite'],
  ['sublocality', 'Sub-locality'], ['locality', 'District'], ['admin_area_level_1', 'State/province'], ['admin_area_level_2', 'County'],
  ['country', 'Country'], ['postal_code', 'Postal code'],
];

/** An activity field in v2's shape (`GET /api/v2/activityFields`), with its position for cursor paging. */
export interface ActivityFieldV2 {
  id: number;
  field_code: string;
  field_name: string;
  field_type: string;
  options: { id: number; label: string }[] | null;
  subfields: { field_code: string; field_name: string; field_type: string }[] | null;
  is_custom_field: false;
  is_optional_response_field: boolean;
  ui_visibility: { add_visible_flag: boolean; details_visible_flag: boolean };
}

export const ACTIVITY_FIELDS_V2: readonly ActivityFieldV2[] = FIELDS.map(([key, name, field_type], i) => ({
  id: i + 1,
  field_code: V2_CODES[key] ?? key,
  field_name: name,
  field_type,
  options: key === 'priority' ? PRIORITY_OPTIONS.map((o) => ({ ...o })) : null,
  subfields: key === 'location' ? LOCATION_PARTS.map(([code, part]) => ({ field_code: code, field_name: `${part} of ${name}`, field_type: 'varchar' })) : null,
  is_custom_field: false,
  // attendees is answered only with include_fields=attendees; every field listed here is always in the activity.
  is_optional_response_field: false,
  ui_visibility: { add_visible_flag: true, details_visible_flag: true },
}));
