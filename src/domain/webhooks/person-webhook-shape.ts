import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { permittedUserIds } from '../access/visibility.js';
import { ADDRESS_PARTS } from '../address.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import { v1AddressFields, v1RecordFields } from './v1-webhook-fields.js';
import { customFieldsToWebhookV2 } from './custom-fields-webhook.js';
import type { WebhookEntityShape } from './entity-shape.js';

/**
 * A person in webhook payloads. v2's `data` is not the REST v2 person (behaviour doc §11.4): `visible_to` is a
 * string, `label` (the first label) sits beside `label_ids`, custom fields carry their type. v1's `current` is
 * the legacy v1 person: `email` / `phone` lists, flat custom fields, v1 timestamps, owner and organization names.
 */
export const personWebhookShape: WebhookEntityShape<PersonRow> = {
  entity: 'person',
  id: (row) => row.id,

  // The one visibility rule (owner, followers, admins, visibility groups), as of the written state.
  permittedUserIds: (row, lookups) => permittedUserIds(lookups.db, row.company_id, row),

  async v2(row, lookups) {
    const labelIds = JSON.parse(row.label_ids) as number[];
    return {
      id: row.id,
      name: row.name,
      first_name: row.first_name,
      last_name: row.last_name,
      emails: JSON.parse(row.emails),
      phones: JSON.parse(row.phones),
      im: JSON.parse(row.im),
      org_id: row.org_id,
      owner_id: row.owner_id,
      label: labelIds[0] ?? null,
      label_ids: labelIds,
      visible_to: String(row.visible_to),
      picture_id: row.picture_id,
      postal_address: row.postal_address === null ? null : JSON.parse(row.postal_address),
      notes: row.notes,
      birthday: row.birthday,
      job_title: row.job_title,
      add_time: row.add_time,
      update_time: row.update_time,
      custom_fields: customFieldsToWebhookV2(await lookups.personFields(), JSON.parse(row.custom_fields)),
    };
  },

  async v1(row, lookups) {
    return {
      id: row.id,
      company_id: row.company_id,
      owner_id: row.owner_id,
      owner_name: await lookups.userName(row.owner_id),
      org_id: row.org_id,
      org_name: await lookups.organizationName(row.org_id),
      name: row.name,
      first_name: row.first_name,
      last_name: row.last_name,
      first_char: row.name.charAt(0).toLowerCase() || null,
      email: JSON.parse(row.emails),
      phone: JSON.parse(row.phones),
      im: JSON.parse(row.im),
      ...v1RecordFields(row),
      ...v1AddressFields(row.postal_address, 'postal_address', ADDRESS_PARTS),
      notes: row.notes,
      birthday: row.birthday,
      job_title: row.job_title,
      marketing_status: row.marketing_status,
      ...customFieldsToV1(await lookups.personFields(), JSON.parse(row.custom_fields)),
    };
  },
};
