import type { FieldEntity } from './entities.js';
import type { FieldType } from './field-types.js';

/** The fixed traits of a built-in person field; what a company may change (name, flags) is stored per company. */
export interface SystemFieldSpec {
  /** The v1 key. */
  key: string;
  /** The v2 field_code, when it differs from the v1 key. */
  code?: string;
  name: string;
  type: FieldType;
  mandatory?: boolean;
  searchable?: boolean;
  sortable?: boolean;
  filterable?: boolean;
  bulkEditable?: boolean;
  addVisible?: boolean;
  /** Returned by GET persons only when named in include_fields. */
  optionalResponse?: boolean;
}

/**
 * The person fields personsd stores, with Pipedrive's keys. The label field is a `set` whose options are the
 * person labels; v1 calls it `label`, v2 `label_ids` (the property persons carry).
 */
export const SYSTEM_PERSON_FIELDS: readonly SystemFieldSpec[] = [
  { key: 'name', name: 'Name', type: 'varchar', mandatory: true, searchable: true, addVisible: true, bulkEditable: false },
  { key: 'first_name', name: 'First name', type: 'varchar', bulkEditable: false },
  { key: 'last_name', name: 'Last name', type: 'varchar', bulkEditable: false },
  { key: 'email', name: 'Email', type: 'varchar', searchable: true, addVisible: true, bulkEditable: false },
  { key: 'phone', name: 'Phone', type: 'phone', searchable: true, addVisible: true, bulkEditable: false },
  { key: 'im', name: 'Instant messenger', type: 'varchar', sortable: false, bulkEditable: false },
  { key: 'org_id', name: 'Organization', type: 'org', addVisible: true },
  { key: 'owner_id', name: 'Owner', type: 'user', addVisible: true },
  { key: 'label', code: 'label_ids', name: 'Labels', type: 'set', addVisible: true },
  { key: 'visible_to', name: 'Visible to', type: 'visible_to', addVisible: true },
  { key: 'add_time', name: 'Person created', type: 'date', bulkEditable: false },
  { key: 'update_time', name: 'Update time', type: 'date', bulkEditable: false },
  { key: 'postal_address', name: 'Postal address', type: 'address' },
  { key: 'notes', name: 'Notes', type: 'text', searchable: true },
  { key: 'birthday', name: 'Birthday', type: 'date' },
  { key: 'job_title', name: 'Job title', type: 'varchar' },
  { key: 'marketing_status', name: 'Marketing status', type: 'status', optionalResponse: true },
  { key: 'picture_id', name: 'Profile picture', type: 'picture', sortable: false, filterable: false, bulkEditable: false },
];

/**
 * The organization fields personsd stores. Pipedrive's computed fields (people and deal counts, next activity…)
 * are not listed, since no organization carries them here.
 */
export const SYSTEM_ORGANIZATION_FIELDS: readonly SystemFieldSpec[] = [
  { key: 'name', name: 'Name', type: 'varchar', mandatory: true, searchable: true, addVisible: true, bulkEditable: false },
  { key: 'owner_id', name: 'Owner', type: 'user', addVisible: true },
  { key: 'label', code: 'label_ids', name: 'Labels', type: 'set', addVisible: true },
  { key: 'visible_to', name: 'Visible to', type: 'visible_to', addVisible: true },
  { key: 'address', name: 'Address', type: 'address', searchable: true, addVisible: true },
  { key: 'add_time', name: 'Organization created', type: 'date', bulkEditable: false },
  { key: 'update_time', name: 'Update time', type: 'date', bulkEditable: false },
  { key: 'picture_id', name: 'Profile picture', type: 'picture', sortable: false, filterable: false, bulkEditable: false },
];

/**
 * The deal fields personsd stores. v1 calls the owner `user_id`, v2 `owner_id`. The pipeline and the stage are
 * fields too (the stages themselves are listed by /v1/stages and /api/v2/stages).
 */
export const SYSTEM_DEAL_FIELDS: readonly SystemFieldSpec[] = [
  { key: 'title', name: 'Title', type: 'varchar', mandatory: true, searchable: true, addVisible: true, bulkEditable: false },
  { key: 'value', name: 'Value', type: 'monetary', addVisible: true },
  { key: 'currency', name: 'Currency', type: 'varchar', bulkEditable: false },
  { key: 'user_id', code: 'owner_id', name: 'Owner', type: 'user', addVisible: true },
  { key: 'person_id', name: 'Contact person', type: 'people', addVisible: true },
  { key: 'org_id', name: 'Organization', type: 'org', addVisible: true },
  { key: 'status', name: 'Status', type: 'status' },
  { key: 'pipeline_id', name: 'Pipeline', type: 'double', addVisible: true },
  { key: 'stage_id', name: 'Stage', type: 'stage', addVisible: true },
  { key: 'probability', name: 'Probability', type: 'double' },
  { key: 'lost_reason', name: 'Lost reason', type: 'varchar' },
  { key: 'visible_to', name: 'Visible to', type: 'visible_to', addVisible: true },
  { key: 'label', code: 'label_ids', name: 'Labels', type: 'set', addVisible: true },
  { key: 'expected_close_date', name: 'Expected close date', type: 'date', addVisible: true },
  { key: 'add_time', name: 'Deal created', type: 'date', bulkEditable: false },
  { key: 'update_time', name: 'Update time', type: 'date', bulkEditable: false },
  { key: 'won_time', name: 'Won time', type: 'date', bulkEditable: false },
  { key: 'lost_time', name: 'Lost time', type: 'date', bulkEditable: false },
  { key: 'close_time', name: 'Deal closed on', type: 'date', bulkEditable: false },
];

export const SYSTEM_FIELDS: Readonly<Record<FieldEntity, readonly SystemFieldSpec[]>> = {
  person: SYSTEM_PERSON_FIELDS,
  organization: SYSTEM_ORGANIZATION_FIELDS,
  deal: SYSTEM_DEAL_FIELDS,
};

export const LABEL_FIELD_KEY = 'label';

/** Pipedrive's default labels per entity, seeded for every company. */
export const DEFAULT_LABELS: Readonly<Record<FieldEntity, readonly { label: string; color: string }[]>> = {
  person: [
    { label: 'Customer', color: 'green' },
    { label: 'Hot lead', color: 'red' },
    { label: 'Warm lead', color: 'yellow' },
    { label: 'Cold lead', color: 'blue' },
  ],
  organization: [
    { label: 'Customer', color: 'green' },
    { label: 'Hot lead', color: 'red' },
    { label: 'Warm lead', color: 'yellow' },
    { label: 'Cold lead', color: 'blue' },
  ],
  deal: [
    { label: 'Hot', color: 'red' },
    { label: 'Warm', color: 'yellow' },
    { label: 'Cold', color: 'blue' },
  ],
};

/** Pipedrive's default person labels. */
export const DEFAULT_PERSON_LABELS = DEFAULT_LABELS.person;

/** Only these system fields may not be hidden from the add dialog (Pipedrive's rule for persons). */
export const ALWAYS_ADD_VISIBLE: Readonly<Record<FieldEntity, ReadonlySet<string>>> = {
  person: new Set(['name', 'org_id']),
  organization: new Set(['name']),
  deal: new Set(['title']),
};

const BY_KEY = new Map<FieldEntity, Map<string, SystemFieldSpec>>();
for (const [entity, specs] of Object.entries(SYSTEM_FIELDS) as [FieldEntity, readonly SystemFieldSpec[]][]) {
  const map = new Map<string, SystemFieldSpec>();
  for (const spec of specs) {
    map.set(spec.key, spec);
    if (spec.code) map.set(spec.code, spec);
  }
  BY_KEY.set(entity, map);
}

/** The system field of the entity with this v1 key or v2 field_code. */
export function systemField(keyOrCode: string, entity: FieldEntity = 'person'): SystemFieldSpec | undefined {
  return BY_KEY.get(entity)?.get(keyOrCode);
}
