import { toV1Time } from '../time.js';

/** A stored address (JSON text) as v1's flat fields: `<key>` is the whole value, `<key>_<part>` each part. */
export function v1AddressFields(stored: string | null, key: string, parts: readonly string[]): Record<string, string | null> {
  const address = stored === null ? null : (JSON.parse(stored) as Record<string, string | null>);
  const fields: Record<string, string | null> = { [key]: address?.value ?? null };
  for (const part of parts) if (part !== 'value') fields[`${key}_${part}`] = address?.[part] ?? null;
  return fields;
}

/** The fields v1 payloads of persons and organizations share: visibility, labels, picture, lifecycle times. */
export function v1RecordFields(row: {
  visible_to: number;
  label_ids: string;
  picture_id: number | null;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}) {
  const labelIds = JSON.parse(row.label_ids) as number[];
  return {
    visible_to: String(row.visible_to),
    label: labelIds[0] ?? null,
    label_ids: labelIds,
    picture_id: row.picture_id,
    active_flag: row.deleted_time === null,
    add_time: toV1Time(row.add_time),
    update_time: toV1Time(row.update_time),
    delete_time: toV1Time(row.deleted_time),
  };
}
