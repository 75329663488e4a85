import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { RelatedObjects } from '../related-objects.js';
import { toV1Time } from '../time.js';

/**
 * A deal in the v1 list shape (GET /v1/persons/{id}/deals): the user, person and organization it links to as
 * embedded objects (`value` is the id, described only when the caller may see them), v1 times, `visible_to` as a
 * string, `active` / `deleted` flags, `pipeline_id` and `stage_id` as plain ids.
 */
export function renderDealV1(row: DealRow, related: RelatedObjects): Record<string, unknown> {
  const user = (id: number) => (related.user[id] ? { ...related.user[id], value: id } : { value: id });
  const person = row.person_id === null ? undefined : related.person[row.person_id];
  const org = row.org_id === null ? undefined : related.organization[row.org_id];
  return {
    id: row.id,
    creator_user_id: user(row.creator_user_id),
    user_id: user(row.owner_id),
    person_id: row.person_id === null ? null : person ? { active_flag: person.active_flag, name: person.name, email: person.email, phone: person.phone, owner_id: person.owner_id, value: row.person_id } : { value: row.person_id },
    org_id: row.org_id === null ? null : org ? { name: org.name, people_count: org.people_count, owner_id: org.owner_id, address: org.address, active_flag: org.active_flag, cc_email: org.cc_email, value: row.org_id } : { value: row.org_id },
    stage_id: row.stage_id,
    pipeline_id: row.pipeline_id,
    title: row.title,
    value: row.value,
    currency: row.currency,
    add_time: toV1Time(row.add_time),
    update_time: toV1Time(row.update_time),
    active: row.deleted_time === null && row.status === 'open',
    deleted: row.deleted_time !== null,
    status: row.status,
    probability: row.probability,
    lost_reason: row.lost_reason,
    visible_to: String(row.visible_to),
    close_time: toV1Time(row.close_time),
    won_time: toV1Time(row.won_time),
    lost_time: toV1Time(row.lost_time),
    expected_close_date: row.expected_close_date,
    label: (JSON.parse(row.label_ids) as number[]).join(',') || null,
    person_name: person?.name ?? null,
    org_name: org?.name ?? null,
    owner_name: related.user[row.owner_id]?.name ?? null,
    cc_email: null,
  };
}
