import { usersWhoMaySeeRecord } from '../access/visibility.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { ADDRESS_PARTS } from '../address.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import { customFieldsToWebhookV2 } from './custom-fields-webhook.js';
import { v1AddressFields, v1RecordFields } from './v1-webhook-fields.js';
import type { WebhookEntityShape } from './entity-shape.js';

/** An organization in webhook payloads: v2 `data` (string `visible_to`, `label`) and the legacy v1 object. */
export const organizationWebhookShape: WebhookEntityShape<OrganizationRow> = {
  entity: 'organization',
  id: (row) => row.id,
  permittedUserIds: (row, lookups) => usersWhoMaySeeRecord(lookups.db, row.company_id, row),

  async v2(row, lookups) {
    const labelIds = JSON.parse(row.label_ids) as number[];
    return {
      id: row.id,
      name: row.name,
      owner_id: row.owner_id,
      address: row.address === null ? null : JSON.parse(row.address),
      label: labelIds[0] ?? null,
      label_ids: labelIds,
      visible_to: String(row.visible_to),
      picture_id: row.picture_id,
      add_time: row.add_time,
      update_time: row.update_time,
      custom_fields: customFieldsToWebhookV2(await lookups.fieldsOf('organization'), JSON.parse(row.custom_fields)),
    };
  },

  async v1(row, lookups) {
    return {
      id: row.id,
      company_id: row.company_id,
      owner_id: row.owner_id,
      owner_name: await lookups.userName(row.owner_id),
      name: row.name,
      first_char: row.name.charAt(0).toLowerCase() || null,
      ...v1RecordFields(row),
      ...v1AddressFields(row.address, 'address', [...ADDRESS_PARTS, 'formatted_address']),
      ...customFieldsToV1(await lookups.fieldsOf('organization'), JSON.parse(row.custom_fields)),
    };
  },
};
