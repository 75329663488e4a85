/** What every field changelog (persons, organizations, deals) records of a change, and how values become text. */

/** Every write reaches personsd through its API; Pipedrive's other sources (app, mobile, import) do not occur. */
export const CHANGE_SOURCE = 'api';

export interface FieldChange {
  field_key: string;
  is_custom: number;
  old_value: string | null;
  new_value: string | null;
}

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

/** The differences between two stored `custom_fields` JSON texts, one change per key. */
function customFieldChanges(before: string, after: string): FieldChange[] {
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

/** How a recorded system field reads a row: its value as the changelog shows it (text, or null when empty). */
export type Render<Row> = (row: Row) => string | null;

/** A column's value as text. */
export const text =
  <Row>(column: keyof Row): Render<Row> =>
  (row) =>
    row[column] === null ? null : String(row[column]);

/** A record's label ids as text (`3,7`), null without labels. */
export const labels = <Row extends { label_ids: string }>(row: Row): string | null => (JSON.parse(row.label_ids) as number[]).join(',') || null;

/**
 * The field-level differences between two states of a record: each listed system field under its changelog key,
 * then every custom field (`update_time`, which moves on every write, is never listed).
 */
export function fieldChanges<Row extends { custom_fields: string }>(fields: readonly [string, Render<Row>][], before: Row, after: Row): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [key, render] of fields) {
    const old_value = render(before);
    const new_value = render(after);
    if (old_value !== new_value) changes.push({ field_key: key, is_custom: 0, old_value, new_value });
  }
  return [...changes, ...customFieldChanges(before.custom_fields, after.custom_fields)];
}
