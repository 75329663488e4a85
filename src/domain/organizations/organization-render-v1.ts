import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { ADDRESS_PARTS } from '../address.js';
import type { OrganizationCounts } from './organization-counts.js';
import { toV1Time } from '../time.js';

/** The activity dates v1 shows beside the counts: the next activity's due date and time, the last one's date. */
export interface OrganizationActivityDates {
  next_activity_date: string | null;
  next_activity_time: string | null;
  last_activity_date: string | null;
}

/**
 * An organization in Pipedrive's v1 shape: `visible_to` as a string, `active_flag`, `label` beside `label_ids`, the
 * address flat as `address` and `address_<part>` keys, v1 times, and its counts (organization-counts.ts; the file and
 * e-mail counts are 0: personsd stores neither). `owner_id` is the owner's id here; the view makes it the v1 user object.
 */
export function renderOrganizationV1(row: OrganizationRow, counts: OrganizationCounts, dates: OrganizationActivityDates, ownerName: string | null): Record<string, unknown> {
  const labelIds = JSON.parse(row.label_ids) as number[];
  const address = row.address === null ? null : (JSON.parse(row.address) as Record<string, string | null>);
  const addressKeys = Object.fromEntries(
    [...ADDRESS_PARTS.filter((part) => part !== 'value'), 'formatted_address'].map((part) => [`address_${part}`, address?.[part] ?? null]),
  );
  return {
    id: row.id,
    company_id: row.company_id,
    owner_id: row.owner_id,
    name: row.name,
    active_flag: row.deleted_time === null,
    picture_id: row.picture_id,
    country_code: null,
    first_char: row.name.charAt(0).toLowerCase(),
    add_time: toV1Time(row.add_time),
    update_time: toV1Time(row.update_time),
    delete_time: toV1Time(row.deleted_time),
    visible_to: String(row.visible_to),
    label: labelIds[0] ?? null,
    label_ids: labelIds,
    owner_name: ownerName,
    cc_email: null,
    email_messages_count: 0,
    files_count: 0,
    people_count: counts.people_count,
    open_deals_count: counts.open_deals_count,
    related_open_deals_count: counts.related_open_deals_count,
    closed_deals_count: counts.closed_deals_count,
    related_closed_deals_count: counts.related_closed_deals_count,
    won_deals_count: counts.won_deals_count,
    related_won_deals_count: counts.related_won_deals_count,
    lost_deals_count: counts.lost_deals_count,
    related_lost_deals_count: counts.related_lost_deals_count,
    notes_count: counts.notes_count,
    followers_count: counts.followers_count,
    activities_count: counts.activities_count,
    done_activities_count: counts.done_activities_count,
    undone_activities_count: counts.undone_activities_count,
    next_activity_id: counts.next_activity_id,
    last_activity_id: counts.last_activity_id,
    ...dates,
    address: address?.value ?? null,
    ...addressKeys,
  };
}
