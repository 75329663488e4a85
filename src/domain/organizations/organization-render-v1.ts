import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { ADDRESS_PARTS } from '../address.js';
import { toV1Time } from '../time.js';

/** The counts of a v1 organization that personsd's data answers: persons, deals by status, notes. */
export interface OrganizationV1Counts {
  people_count: number;
  open_deals_count: number;
  closed_deals_count: number;
  won_deals_count: number;
  lost_deals_count: number;
  notes_count: number;
}

export const NO_ORGANIZATION_COUNTS: OrganizationV1Counts = {
  people_count: 0,
  open_deals_count: 0,
  closed_deals_count: 0,
  won_deals_count: 0,
  lost_deals_count: 0,
  notes_count: 0,
};

/**
 * An organization in Pipedrive's v1 shape: `visible_to` as a string, `active_flag`, `label` beside `label_ids`, the
 * address flat as `address` and `address_<part>` keys, v1 times, and the persons, deals and notes counts. The
 * activity, follower, file and e-mail counts are 0 and activity dates null: not computed for this view yet. `owner_id` is the owner's id here; the view makes it the v1 user object.
 */
export function renderOrganizationV1(row: OrganizationRow, counts: OrganizationV1Counts, ownerName: string | null): Record<string, unknown> {
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
    activities_count: 0,
    done_activities_count: 0,
    undone_activities_count: 0,
    files_count: 0,
    followers_count: 0,
    ...counts,
    next_activity_date: null,
    next_activity_time: null,
    next_activity_id: null,
    last_activity_id: null,
    last_activity_date: null,
    address: address?.value ?? null,
    ...addressKeys,
  };
}
