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

export const LABEL_FIELD_KEY = 'label';

/** Pipedrive's default person labels, seeded for every company. */
export const DEFAULT_PERSON_LABELS: readonly { label: string; color: string }[] = [
  { label: 'Customer', color: 'green' },
  { label: 'Hot lead', color: 'red' },
  { label: 'Warm lead', color: 'yellow' },
  { label: 'Cold lead', color: 'blue' },
];

const BY_KEY = new Map<string, SystemFieldSpec>();
for (const spec of SYSTEM_PERSON_FIELDS) {
  BY_KEY.set(spec.key, spec);
  if (spec.code) BY_KEY.set(spec.code, spec);
}

/** The system field with this v1 key or v2 field_code. */
export function systemField(keyOrCode: string): SystemFieldSpec | undefined {
  return BY_KEY.get(keyOrCode);
}
