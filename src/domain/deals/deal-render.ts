import type { DealRow } from '../../store/repositories/deals.repository.js';
import { type RecordFieldView, customFieldsText, labelObjects } from '../person-fields/record-field-view.js';

/**
 * A deal in the v2 shape. personsd keeps deals only to link and count them, so pipelines and stages do not exist
 * here: `pipeline_id` and `stage_id` are null rather than invented.
 */
export function renderDealV2(row: DealRow, view: RecordFieldView = {}) {
  const labels = labelObjects(row.label_ids, view);
  return {
    id: row.id,
    title: row.title,
    creator_user_id: row.creator_user_id,
    owner_id: row.owner_id,
    person_id: row.person_id,
    org_id: row.org_id,
    pipeline_id: null,
    stage_id: null,
    value: row.value,
    currency: row.currency,
    add_time: row.add_time,
    update_time: row.update_time,
    status: row.status,
    is_deleted: row.deleted_time !== null,
    is_archived: false,
    probability: row.probability,
    lost_reason: row.lost_reason,
    visible_to: row.visible_to,
    close_time: row.close_time,
    won_time: row.won_time,
    lost_time: row.lost_time,
    expected_close_date: row.expected_close_date,
    label_ids: JSON.parse(row.label_ids) as number[],
    ...(labels && { labels }),
    custom_fields: JSON.parse(customFieldsText(row.custom_fields, view)) as Record<string, unknown>,
  };
}

export type DealV2 = ReturnType<typeof renderDealV2>;
