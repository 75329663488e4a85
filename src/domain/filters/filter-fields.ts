import type { Executor } from '../../store/executor.js';
import type { FilterTarget, FilterableTable } from '../../store/filters/filter-predicate.js';
import { activityFilterFields } from './activity-filter-fields.js';
import type { FieldKind, FilterField, FilterFieldSource } from './filter-field-types.js';
import { loadFields, loadPersonFields } from '../person-fields/definitions.js';

/** The object names conditions use, per filter type. */
export const FILTER_OBJECTS = { people: 'person', org: 'organization', deals: 'deal', activity: 'activity' } as const;
export type FilterableType = keyof typeof FILTER_OBJECTS;
export type FilterObject = (typeof FILTER_OBJECTS)[FilterableType];
export type FilterFieldSources = Record<FilterObject, FilterFieldSource[]>;

/** Each object's table. */
export const OBJECT_TABLES: Record<FilterObject, FilterableTable> = { person: 'persons', organization: 'organizations', deal: 'deals', activity: 'activities' };

/**
 * The other objects a filter type's conditions may name, and the column that links to them: a people filter may
 * test the person's organization, a deals filter the deal's person and organization, an activity filter the
 * activity's person, organization and deal (Pipedrive's filters do too).
 */
export const RELATED_OBJECTS: Record<FilterableType, Partial<Record<FilterObject, string>>> = {
  people: { organization: 'org_id' },
  org: {},
  deals: { person: 'person_id', organization: 'org_id' },
  activity: { person: 'person_id', organization: 'org_id', deal: 'deal_id' },
};



/** The fields of one filter type for one company, found by id or key. */
export class FilterFields {
  private readonly byRef = new Map<string, FilterField>();
  constructor(readonly fields: readonly FilterField[]) {
    for (const field of fields) {
      if (!this.byRef.has(field.key)) this.byRef.set(field.key, field);
      this.byRef.set(field.id, field);
    }
  }
  find(idOrKey: string): FilterField | undefined {
    return this.byRef.get(idOrKey);
  }
}

export async function loadFilterFields(db: Executor, companyId: number, sources: readonly FilterFieldSource[]): Promise<FilterFields> {
  const lists = await Promise.all(sources.map((source) => source(db, companyId)));
  return new FilterFields(lists.flat());
}

const column = (name: string, type: 'text' | 'number'): FilterTarget => ({ kind: 'column', column: name, type });
const jsonValue = (columnName: string, path: string[], type: 'text' | 'number'): FilterTarget => ({ kind: 'json', column: columnName, path, type });

/**
 * A custom field of any entity as a filter field: its value inside the entity's `custom_fields` JSON, read the
 * way custom-values.ts stores each type (monetary and ranges by their `value`). Undefined for a type filters
 * cannot compare.
 */
export function customFilterField(field: { id: number | string; key: string; name: string; type: string }, columnName = 'custom_fields'): FilterField | undefined {
  const at = (kind: FieldKind, target: FilterTarget): FilterField => ({ id: String(field.id), key: field.key, name: field.name, kind, target });
  switch (field.type) {
    case 'varchar':
    case 'varchar_auto':
    case 'text':
    case 'phone':
      return at('text', jsonValue(columnName, [field.key], 'text'));
    case 'double':
      return at('number', jsonValue(columnName, [field.key], 'number'));
    case 'monetary':
      return at('number', jsonValue(columnName, [field.key, 'value'], 'number'));
    case 'date':
      return at('date', jsonValue(columnName, [field.key], 'text'));
    case 'daterange':
      return at('date', jsonValue(columnName, [field.key, 'value'], 'text'));
    case 'time':
    case 'timerange':
      return at('time', jsonValue(columnName, [field.key, 'value'], 'text'));
    case 'enum':
    case 'user':
    case 'org':
    case 'people':
      return at('option', jsonValue(columnName, [field.key], 'number'));
    case 'set':
      return at('set', { kind: 'json-set', column: columnName, path: [field.key] });
    case 'address':
      return at('address', jsonValue(columnName, [field.key], 'text'));
    default:
      return undefined;
  }
}

/** Where each filterable system person field lives. */
const PERSON_SYSTEM_FIELDS: Record<string, { kind: FieldKind; target: FilterTarget }> = {
  name: { kind: 'text', target: column('name', 'text') },
  first_name: { kind: 'text', target: column('first_name', 'text') },
  last_name: { kind: 'text', target: column('last_name', 'text') },
  job_title: { kind: 'text', target: column('job_title', 'text') },
  notes: { kind: 'text', target: column('notes', 'text') },
  email: { kind: 'text', target: { kind: 'contacts', contactKind: 'email', type: 'text' } },
  phone: { kind: 'text', target: { kind: 'contacts', contactKind: 'phone', type: 'text' } },
  im: { kind: 'text', target: { kind: 'contacts', contactKind: 'im', type: 'text' } },
  org_id: { kind: 'option', target: column('org_id', 'number') },
  owner_id: { kind: 'option', target: column('owner_id', 'number') },
  visible_to: { kind: 'option', target: column('visible_to', 'number') },
  label: { kind: 'set', target: { kind: 'json-set', column: 'label_ids', path: [] } },
  add_time: { kind: 'date', target: column('add_time', 'text') },
  update_time: { kind: 'date', target: column('update_time', 'text') },
  birthday: { kind: 'date', target: column('birthday', 'text') },
  postal_address: { kind: 'address', target: jsonValue('postal_address', [], 'text') },
  marketing_status: { kind: 'status', target: column('marketing_status', 'text') },
};

/** Person fields: the company's field rows (system and custom), by their ids as GET /v1/personFields lists them. */
export const personFilterFields: FilterFieldSource = async (db, companyId) => {
  const definitions = await loadPersonFields(db, companyId);
  const fields: FilterField[] = [];
  for (const field of definitions.fields) {
    if (field.isCustom) {
      const custom = customFilterField({ id: field.id, key: field.key, name: field.name, type: field.type });
      if (custom) fields.push(custom);
      continue;
    }
    const system = PERSON_SYSTEM_FIELDS[field.key];
    if (system) fields.push({ id: String(field.id), key: field.key, name: field.name, ...system });
  }
  return fields;
};

function standardFields(list: [key: string, name: string, kind: FieldKind, target: FilterTarget][]): FilterFieldSource {
  const fields = list.map(([key, name, kind, target]) => ({ id: key, key, name, kind, target }));
  return async () => fields;
}

/** Organization standard fields, by key (and by their field row's id, see recordFilterFields). */
export const organizationFilterFields = standardFields([
  ['name', 'Name', 'text', column('name', 'text')],
  ['owner_id', 'Owner', 'option', column('owner_id', 'number')],
  ['visible_to', 'Visible to', 'option', column('visible_to', 'number')],
  ['label', 'Labels', 'set', { kind: 'json-set', column: 'label_ids', path: [] }],
  ['address', 'Address', 'address', jsonValue('address', [], 'text')],
  ['add_time', 'Organization created', 'date', column('add_time', 'text')],
  ['update_time', 'Update time', 'date', column('update_time', 'text')],
]);

/** Deal standard fields, by key (and by their field row's id, see recordFilterFields). */
export const dealFilterFields = standardFields([
  ['title', 'Title', 'text', column('title', 'text')],
  ['value', 'Value', 'number', column('value', 'number')],
  ['currency', 'Currency', 'status', column('currency', 'text')],
  ['status', 'Status', 'status', column('status', 'text')],
  ['owner_id', 'Owner', 'option', column('owner_id', 'number')],
  ['creator_user_id', 'Creator', 'option', column('creator_user_id', 'number')],
  ['person_id', 'Contact person', 'option', column('person_id', 'number')],
  ['org_id', 'Organization', 'option', column('org_id', 'number')],
  ['pipeline_id', 'Pipeline', 'option', column('pipeline_id', 'number')],
  ['stage_id', 'Stage', 'option', column('stage_id', 'number')],
  ['probability', 'Probability', 'number', column('probability', 'number')],
  ['lost_reason', 'Lost reason', 'text', column('lost_reason', 'text')],
  ['visible_to', 'Visible to', 'option', column('visible_to', 'number')],
  ['label', 'Labels', 'set', { kind: 'json-set', column: 'label_ids', path: [] }],
  ['expected_close_date', 'Expected close date', 'date', column('expected_close_date', 'text')],
  ['add_time', 'Deal created', 'date', column('add_time', 'text')],
  ['update_time', 'Update time', 'date', column('update_time', 'text')],
  ['won_time', 'Won time', 'date', column('won_time', 'text')],
  ['lost_time', 'Lost time', 'date', column('lost_time', 'text')],
  ['close_time', 'Deal closed on', 'date', column('close_time', 'text')],
]);

/**
 * An organization's or deal's field rows (GET /v1/organizationFields, /v1/dealFields): custom fields by id and key,
 * and the standard fields above also by their row's id, as Pipedrive's filters name them.
 */
function recordFilterFields(entity: 'organization' | 'deal', standard: FilterFieldSource): FilterFieldSource {
  return async (db, companyId) => {
    const byKey = new Map((await standard(db, companyId)).map((field) => [field.key, field]));
    const fields: FilterField[] = [...byKey.values()];
    for (const field of (await loadFields(db, companyId, entity)).fields) {
      if (field.isCustom) {
        const custom = customFilterField({ id: field.id, key: field.key, name: field.name, type: field.type });
        if (custom) fields.push(custom);
        continue;
      }
      const system = byKey.get(field.key);
      if (system) fields.push({ ...system, id: String(field.id) });
    }
    return fields;
  };
}

/** The sources of every filter type's fields. */
export function defaultFilterFieldSources(): FilterFieldSources {
  return {
    person: [personFilterFields],
    organization: [recordFilterFields('organization', organizationFilterFields)],
    deal: [recordFilterFields('deal', dealFilterFields)],
    activity: [activityFilterFields],
  };
}
