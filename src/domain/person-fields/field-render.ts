import { invalid } from '../errors.js';
import { toV1Time } from '../time.js';
import type { FieldOption, PersonField } from './definitions.js';
import { SEARCHABLE_CUSTOM_FIELD_TYPES, subfieldName, subfieldSuffixes } from './field-types.js';

/** The optional namespaces of a v2 field (`include_fields`). */
export const FIELD_INCLUDE_NAMESPACES = ['ui_visibility', 'important_fields', 'required_fields'] as const;
export type FieldIncludeNamespace = (typeof FIELD_INCLUDE_NAMESPACES)[number];

interface SubfieldV1 {
  id: null;
  key: string;
  name: string;
  field_type: string;
  is_subfield: boolean;
  parent_id: number;
  id_suffix: string;
}

export interface FieldV1 {
  id: number;
  key: string;
  name: string;
  order_nr: number;
  field_type: string;
  add_time: string;
  update_time: string | null;
  last_updated_by_user_id: number | null;
  created_by_user_id: number | null;
  active_flag: boolean;
  edit_flag: boolean;
  index_visible_flag: boolean;
  details_visible_flag: boolean;
  add_visible_flag: boolean;
  important_flag: boolean;
  bulk_edit_allowed: boolean;
  searchable_flag: boolean;
  filtering_allowed: boolean;
  sortable_flag: boolean;
  mandatory_flag: boolean;
  options: { id: number; label: string; color?: string }[] | null;
  subfields?: SubfieldV1[];
}

export interface FieldV2 {
  field_code: string;
  field_name: string;
  field_type: string;
  options: FieldOption[] | null;
  subfields: { field_code: string; field_name: string; field_type: string }[] | null;
  is_custom_field: boolean;
  is_optional_response_field: boolean;
  ui_visibility?: { add_visible_flag: boolean; details_visible_flag: boolean; show_in_add_deal_dialog: { show: boolean; order: number | null } };
  important_fields?: { enabled: boolean; stage_ids: number[] };
  required_fields?: { enabled: boolean };
}

/** The v1 field object (`/v1/personFields`). */
export function renderFieldV1(field: PersonField): FieldV1 {
  const system = field.system;
  const v1: FieldV1 = {
    id: field.id,
    key: field.key,
    name: field.name,
    order_nr: field.orderNr,
    field_type: field.type,
    add_time: toV1Time(field.addTime) as string,
    update_time: toV1Time(field.updateTime),
    last_updated_by_user_id: field.updatedBy,
    created_by_user_id: field.createdBy,
    active_flag: true,
    edit_flag: field.isCustom,
    index_visible_flag: true,
    details_visible_flag: field.detailsVisible,
    add_visible_flag: field.addVisible,
    important_flag: field.important,
    bulk_edit_allowed: system?.bulkEditable ?? true,
    searchable_flag: system ? system.searchable === true : (SEARCHABLE_CUSTOM_FIELD_TYPES as readonly string[]).includes(field.type),
    filtering_allowed: system?.filterable ?? true,
    sortable_flag: system?.sortable ?? true,
    mandatory_flag: field.mandatory,
    options: field.options === null ? null : field.options.map(optionV1),
  };
  const suffixes = subfieldSuffixes(field.type);
  if (suffixes.length > 0 && field.isCustom) {
    v1.subfields = suffixes.map((suffix) => ({
      id: null,
      key: `${field.key}_${suffix}`,
      name: `${subfieldName(suffix)} of ${field.name}`,
      field_type: suffix === 'until' ? field.type.replace('range', '') : 'varchar',
      is_subfield: true,
      parent_id: field.id,
      id_suffix: suffix,
    }));
  }
  return v1;
}

function optionV1(option: FieldOption) {
  return option.color === null ? { id: option.id, label: option.label } : { id: option.id, label: option.label, color: option.color };
}

/** The v2 field object (`/api/v2/personFields`), with the asked-for optional namespaces. */
export function renderFieldV2(field: PersonField, include: ReadonlySet<FieldIncludeNamespace> = new Set()): FieldV2 {
  const v2: FieldV2 = {
    field_code: field.code,
    field_name: field.name,
    field_type: field.type,
    options: field.options,
    subfields: subfieldsV2(field),
    is_custom_field: field.isCustom,
    is_optional_response_field: field.system?.optionalResponse === true,
  };
  if (include.has('ui_visibility')) {
    v2.ui_visibility = {
      add_visible_flag: field.addVisible,
      details_visible_flag: field.detailsVisible,
      show_in_add_deal_dialog: { show: field.showInAddDeal, order: field.addDealOrder },
    };
  }
  if (include.has('important_fields')) v2.important_fields = { enabled: field.important, stage_ids: field.importantStageIds };
  if (include.has('required_fields')) v2.required_fields = { enabled: field.mandatory };
  return v2;
}

/** v2 lists parts for monetary and address values, named by their property in the value object. */
function subfieldsV2(field: PersonField): FieldV2['subfields'] {
  if (field.type === 'monetary') {
    return [
      { field_code: 'value', field_name: 'Value', field_type: 'double' },
      { field_code: 'currency', field_name: 'Currency', field_type: 'varchar' },
    ];
  }
  if (field.type === 'address') {
    return ['value', ...subfieldSuffixes('address')].map((part) => ({ field_code: part, field_name: subfieldName(part), field_type: 'varchar' }));
  }
  return null;
}

/** Reads `include_fields` of the personFields reads; an unknown namespace is a 400. */
export function fieldIncludeNamespaces(text: string | undefined): Set<FieldIncludeNamespace> {
  const names = (text ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) {
    if (!(FIELD_INCLUDE_NAMESPACES as readonly string[]).includes(name)) {
      throw invalid(`include_fields: unknown namespace "${name}"`, `Use any of ${FIELD_INCLUDE_NAMESPACES.join(', ')}, comma-separated.`);
    }
  }
  return new Set(names as FieldIncludeNamespace[]);
}
