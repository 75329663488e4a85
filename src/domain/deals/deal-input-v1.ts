import { invalid } from '../errors.js';
import { customFieldsFromV1 } from '../person-fields/custom-fields-v1.js';
import type { FieldDefinitions } from '../person-fields/definitions.js';
import { refuseUnstorable, v1Id, v1Ids, v1Integer, v1Number, v1OptionalId, v1Text } from '../v1-values.js';
import { DEAL_STATUSES, type DealInput, type DealStatus } from './deal-input.js';

/** Keys of v1's deal bodies that personsd cannot store yet: a 400 names them rather than dropping their values. */
const UNSTORABLE = ['origin_id', 'channel', 'channel_id'];

/**
 * Translates a v1 deal body (POST /v1/deals, PUT /v1/deals/{id}) into the v2 input the deals service takes, so both
 * versions write through the same rules. v1's leniency lives here: `user_id` for the owner, ids, `value`,
 * `probability` and `visible_to` as numeric strings, `label` as a list, one id or a comma-separated string, null /
 * "" / 0 unlinking a person or organization, times as `YYYY-MM-DD HH:MM:SS`. Keys v1 defines that personsd cannot
 * store (marketing channels) are a 400 naming the key; custom fields come flat under their keys; other unknown keys are
 * ignored as v1 ignores them, so a v1 read sent back is a valid update.
 */
export function dealInputFromV1(body: Readonly<Record<string, unknown>>, fields: FieldDefinitions): DealInput {
  refuseUnstorable(body, UNSTORABLE, 'deals');
  const input: DealInput = {};
  if (body.title !== undefined) input.title = v1Text('title', body.title) ?? '';
  const owner = body.user_id ?? body.owner_id;
  if (owner !== undefined && owner !== null) input.owner_id = v1Id(body.user_id !== undefined ? 'user_id' : 'owner_id', owner);
  if (body.person_id !== undefined) input.person_id = v1OptionalId('person_id', body.person_id);
  if (body.org_id !== undefined) input.org_id = v1OptionalId('org_id', body.org_id);
  // A read sent back carries both ids; null leaves the deal where it is (a new one goes to the default stage).
  if (body.pipeline_id !== undefined && body.pipeline_id !== null) input.pipeline_id = v1Id('pipeline_id', body.pipeline_id);
  if (body.stage_id !== undefined && body.stage_id !== null) input.stage_id = v1Id('stage_id', body.stage_id);
  if (body.value !== undefined) input.value = body.value === null || body.value === '' ? 0 : v1Number('value', body.value);
  if (body.currency !== undefined) input.currency = v1Text('currency', body.currency) ?? '';
  if (body.status !== undefined) input.status = status(body.status);
  if (body.probability !== undefined) input.probability = body.probability === null || body.probability === '' ? null : v1Number('probability', body.probability);
  if (body.lost_reason !== undefined) input.lost_reason = v1Text('lost_reason', body.lost_reason);
  if (body.visible_to !== undefined) input.visible_to = v1Integer('visible_to', body.visible_to);
  if (body.label !== undefined) input.label_ids = v1Ids('label', body.label);
  if (body.expected_close_date !== undefined) input.expected_close_date = v1Text('expected_close_date', body.expected_close_date);
  if (body.add_time !== undefined) input.add_time = v1Text('add_time', body.add_time) ?? '';
  for (const key of ['won_time', 'lost_time', 'close_time'] as const) {
    if (body[key] !== undefined) input[key] = v1Text(key, body[key]);
  }
  const { customFields } = customFieldsFromV1(fields, body);
  if (customFields !== undefined) input.custom_fields = customFields;
  return input;
}

function status(value: unknown): DealStatus {
  if (value === 'deleted') throw invalid('status "deleted" cannot be set: delete the deal with DELETE /v1/deals/{id}');
  if (!(DEAL_STATUSES as readonly unknown[]).includes(value)) throw invalid(`status must be one of ${DEAL_STATUSES.join(', ')}; got ${JSON.stringify(value)}`);
  return value as DealStatus;
}
