import { ADDRESS_PARTS } from '../address.js';
import { customFieldsFromV1 } from '../person-fields/custom-fields-v1.js';
import type { FieldDefinitions } from '../person-fields/definitions.js';
import { refuseUnstorable, v1Id, v1Ids, v1Integer, v1Text } from '../v1-values.js';
import type { OrganizationInput } from './organizations.service.js';

const ADDRESS_KEYS = [...ADDRESS_PARTS, 'formatted_address'].map((part) => [part, part === 'value' ? 'address' : `address_${part}`] as const);

/**
 * Translates a v1 organization body (POST /v1/organizations, PUT /v1/organizations/{id}) into the v2 input the
 * organizations service takes, so both versions write through the same rules. v1's leniency lives here: ids and
 * `visible_to` as numeric strings, `label` beside `label_ids` (label overwrites them, unless it is their first),
 * the full address as `address` with its parts as `address_<part>` keys, `add_time` as `YYYY-MM-DD HH:MM:SS`.
 * Custom fields come flat under their keys, read as for persons; unknown other keys are ignored as v1 ignores
 * them (a v1 read sent back is a valid update).
 */
export function organizationInputFromV1(body: Readonly<Record<string, unknown>>, fields: FieldDefinitions): OrganizationInput {
  refuseUnstorable(body, [], 'organizations');
  const input: OrganizationInput = {};
  if (body.name !== undefined) input.name = v1Text('name', body.name) ?? '';
  if (body.owner_id !== undefined) input.owner_id = v1Id('owner_id', body.owner_id);
  if (body.visible_to !== undefined) input.visible_to = v1Integer('visible_to', body.visible_to);
  if (body.label_ids !== undefined) input.label_ids = v1Ids('label_ids', body.label_ids);
  if (body.label !== undefined) {
    const label = body.label === null || body.label === '' ? null : v1Id('label', body.label);
    if (label === null) input.label_ids = [];
    else if (input.label_ids?.[0] !== label) input.label_ids = [label];
  }
  if (body.add_time !== undefined) input.add_time = v1Text('add_time', body.add_time) ?? '';
  const address: Record<string, string | null> = {};
  let sent = false;
  for (const [part, key] of ADDRESS_KEYS) {
    if (body[key] === undefined) continue;
    sent = true;
    address[part] = v1Text(key, body[key]);
  }
  if (sent) input.address = Object.values(address).every((v) => v === null || v === '') ? null : address;
  const { customFields } = customFieldsFromV1(fields, body);
  if (customFields !== undefined) input.custom_fields = customFields;
  return input;
}
