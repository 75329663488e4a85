import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { type RecordFieldView, customFieldsText, labelObjects } from '../person-fields/record-field-view.js';

const str = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/** Renders a stored organization as v2 JSON text, splicing its JSON columns in as stored. */
export function renderOrganizationV2(row: OrganizationRow, view: RecordFieldView = {}): string {
  const labels = labelObjects(row.label_ids, view);
  return (
    `{"id":${row.id},"name":${str(row.name)},"owner_id":${row.owner_id},"add_time":"${row.add_time}","update_time":"${row.update_time}"` +
    `,"address":${row.address ?? 'null'},"is_deleted":${row.deleted_time !== null},"visible_to":${row.visible_to}` +
    `,"label_ids":${row.label_ids}${labels ? `,"labels":${JSON.stringify(labels)}` : ''},"picture_id":${row.picture_id ?? 'null'}` +
    `,"custom_fields":${customFieldsText(row.custom_fields, view)}}`
  );
}
