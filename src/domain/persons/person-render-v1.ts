import type { PictureMeta } from '../../store/repositories/person-pictures.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { ADDRESS_PARTS } from '../address.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import type { PersonFieldDefinitions } from '../person-fields/definitions.js';
import { toV1Time } from '../time.js';
import type { PersonCounts } from './person-counts.js';
import { type PictureUrls, renderPictureV1 } from './picture-render.js';

/** What a v1 person names beside its own columns, loaded in advance. */
export interface PersonV1Context {
  counts: PersonCounts;
  ownerName: string | null;
  orgName: string | null;
  picture: PictureMeta | null;
  /** The company's field definitions, for the v1 flat custom field keys. */
  fields: PersonFieldDefinitions;
}

/**
 * A person in Pipedrive's v1 shape (as the merge response returns it): `email`/`phone` lists, `visible_to` as a
 * string, `active_flag`, `label` beside `label_ids`, `postal_address_*` keys, the picture object in `picture_id`,
 * v1 times, and custom fields flat at the root through the one v1 conversion.
 */
export function renderPersonV1(row: PersonRow, context: PersonV1Context, urls: PictureUrls): Record<string, unknown> {
  const labelIds = JSON.parse(row.label_ids) as number[];
  const address = row.postal_address === null ? null : (JSON.parse(row.postal_address) as Record<string, string | null>);
  const addressKeys = Object.fromEntries(
    [...ADDRESS_PARTS.filter((part) => part !== 'value'), 'formatted_address'].map((part) => [`postal_address_${part}`, address?.[part] ?? null]),
  );
  return {
    id: row.id,
    company_id: row.company_id,
    owner_id: row.owner_id,
    org_id: row.org_id,
    name: row.name,
    first_name: row.first_name,
    last_name: row.last_name,
    ...context.counts,
    active_flag: row.deleted_time === null,
    phone: JSON.parse(row.phones),
    email: JSON.parse(row.emails),
    im: JSON.parse(row.im),
    first_char: row.name.charAt(0).toLowerCase(),
    update_time: toV1Time(row.update_time),
    delete_time: toV1Time(row.deleted_time),
    add_time: toV1Time(row.add_time),
    visible_to: String(row.visible_to),
    picture_id: context.picture ? renderPictureV1(context.picture, urls) : null,
    label: labelIds[0] ?? null,
    label_ids: labelIds,
    org_name: context.orgName,
    owner_name: context.ownerName,
    postal_address: address?.value ?? null,
    ...addressKeys,
    notes: row.notes,
    birthday: row.birthday,
    job_title: row.job_title,
    marketing_status: row.marketing_status,
    ...customFieldsToV1(context.fields, JSON.parse(row.custom_fields)),
  };
}

/** A person of GET /v1/persons/collection: the short v1 shape, ids as plain numbers. */
export function renderPersonCollectionItem(row: PersonRow): Record<string, unknown> {
  const labelIds = JSON.parse(row.label_ids) as number[];
  return {
    id: row.id,
    active_flag: row.deleted_time === null,
    owner_id: row.owner_id,
    org_id: row.org_id,
    name: row.name,
    email: JSON.parse(row.emails),
    phone: JSON.parse(row.phones),
    update_time: toV1Time(row.update_time),
    delete_time: toV1Time(row.deleted_time),
    add_time: toV1Time(row.add_time),
    visible_to: String(row.visible_to),
    picture_id: row.picture_id,
    label: labelIds[0] ?? null,
    label_ids: labelIds,
    cc_email: null,
  };
}
