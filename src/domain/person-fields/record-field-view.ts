import { invalid } from '../errors.js';
import type { FieldDefinitions } from './definitions.js';

/** How a v2 read shows an organization's or deal's custom values and labels (its query parameters). */
export interface RecordFieldView {
  /** Only these custom field keys (the `custom_fields` query parameter). */
  customFieldKeys?: readonly string[];
  /** The company's fields of the entity; loaded only when option or label objects are asked for. */
  fields?: FieldDefinitions;
  /** `include_option_labels=true`: enum / set values as `{id, label}` objects. */
  includeOptionLabels?: boolean;
  /** `include_labels=true`: a `labels` array of `{id, label}` next to `label_ids`. */
  includeLabels?: boolean;
}

export interface RecordFieldQuery {
  custom_fields?: string;
  include_option_labels?: boolean;
  include_labels?: boolean;
}

const MAX_CUSTOM_FIELD_KEYS = 15;

/**
 * Reads the GET parameters that shape custom values and labels, as persons read them; the definitions are loaded
 * only when option or label objects are asked for, so plain reads use the stored JSON untouched.
 */
export async function recordFieldViewFor(query: RecordFieldQuery, definitions: () => Promise<FieldDefinitions>): Promise<RecordFieldView> {
  const view: RecordFieldView = {};
  if (query.custom_fields !== undefined) {
    const keys = query.custom_fields.split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length > MAX_CUSTOM_FIELD_KEYS) throw invalid(`custom_fields may name at most ${MAX_CUSTOM_FIELD_KEYS} keys`);
    view.customFieldKeys = keys;
  }
  if (query.include_option_labels || query.include_labels) {
    view.fields = await definitions();
    view.includeOptionLabels = query.include_option_labels === true;
    view.includeLabels = query.include_labels === true;
  }
  return view;
}

/** The stored `custom_fields` JSON text as-is, unless a subset or option objects are asked for. */
export function customFieldsText(stored: string, view: RecordFieldView): string {
  const fields = view.includeOptionLabels ? view.fields : undefined;
  if (!view.customFieldKeys && !fields) return stored;
  const all = JSON.parse(stored) as Record<string, unknown>;
  let picked: Record<string, unknown> = all;
  if (view.customFieldKeys) {
    picked = {};
    for (const key of view.customFieldKeys) if (key in all) picked[key] = all[key];
  }
  if (fields) {
    for (const [key, value] of Object.entries(picked)) {
      if (!fields.byKey(key)?.options) continue;
      const labelOf = (id: number) => ({ id, label: fields.optionLabel(id) ?? null });
      picked[key] = Array.isArray(value) ? value.map(labelOf) : labelOf(value as number);
    }
  }
  return JSON.stringify(picked);
}

/** `{id, label}` for each label id when `include_labels=true`; undefined otherwise. */
export function labelObjects(labelIds: string, view: RecordFieldView): { id: number; label: string | null }[] | undefined {
  const fields = view.fields;
  if (!view.includeLabels || !fields) return undefined;
  return (JSON.parse(labelIds) as number[]).map((id) => ({ id, label: fields.optionLabel(id) ?? null }));
}
