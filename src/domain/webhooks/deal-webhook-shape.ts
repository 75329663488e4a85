import { usersWhoMaySeeRecord } from '../access/visibility.js';
import type { DealRow } from '../../store/repositories/deals.repository.js';
import { renderDealV2 } from '../deals/deal-render.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import { toV1Time } from '../time.js';
import { customFieldsToWebhookV2 } from './custom-fields-webhook.js';
import type { WebhookEntityShape } from './entity-shape.js';

/** A deal in webhook payloads: v2 `data` is the REST deal with webhook v2's string `visible_to` and `label`. */
export const dealWebhookShape: WebhookEntityShape<DealRow> = {
  entity: 'deal',
  id: (row) => row.id,
  permittedUserIds: (row, lookups) => usersWhoMaySeeRecord(lookups.db, row.company_id, row),

  async v2(row, lookups) {
    const deal = renderDealV2(row);
    const custom_fields = customFieldsToWebhookV2(await lookups.fieldsOf('deal'), deal.custom_fields);
    return { ...deal, visible_to: String(deal.visible_to), label: deal.label_ids[0] ?? null, custom_fields };
  },

  async v1(row, lookups) {
    const deal = renderDealV2(row);
    return {
      id: row.id,
      company_id: row.company_id,
      title: row.title,
      creator_user_id: row.creator_user_id,
      user_id: row.owner_id,
      owner_name: await lookups.userName(row.owner_id),
      person_id: row.person_id,
      org_id: row.org_id,
      org_name: await lookups.organizationName(row.org_id),
      value: row.value,
      currency: row.currency,
      status: row.status,
      probability: row.probability,
      lost_reason: row.lost_reason,
      visible_to: String(row.visible_to),
      label: deal.label_ids[0] ?? null,
      active: row.status === 'open',
      deleted: row.deleted_time !== null,
      add_time: toV1Time(row.add_time),
      update_time: toV1Time(row.update_time),
      close_time: toV1Time(row.close_time),
      won_time: toV1Time(row.won_time),
      lost_time: toV1Time(row.lost_time),
      expected_close_date: row.expected_close_date,
      ...customFieldsToV1(await lookups.fieldsOf('deal'), deal.custom_fields),
    };
  },
};
