import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum, query } from '../../http/schemas.js';
import { OffsetPageParams, Pagination } from './v1-paging.js';
import { PersonV1 } from './persons.schemas.js';

// v1 is lenient: ids and numbers may come as numeric strings. The body is checked by the v1 translation
// (domain/organizations/organization-input-v1.ts), which names the key of any value it refuses.
const LenientId = (description: string) =>
  Type.Union([Type.Integer(), Type.String(), Type.Null(), Type.Object({ value: Type.Optional(Type.Integer()) }, { additionalProperties: true })], { description });

export const OrganizationV1Body = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create' })),
    owner_id: Type.Optional(LenientId('Defaults to the caller; also the {value} object a v1 read shows')),
    visible_to: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: '"1", "3", "5" or "7"' })),
    label: Type.Optional(LenientId('One label id; replaces label_ids')),
    label_ids: Type.Optional(Type.Union([Type.Array(Type.Union([Type.Integer(), Type.String()])), Type.String(), Type.Null()])),
    add_time: Type.Optional(Type.String({ description: 'YYYY-MM-DD HH:MM:SS (UTC)' })),
    address: Type.Optional(Nullable(Type.String({ description: 'The full address; its parts as address_<part> keys' }))),
  },
  { additionalProperties: true, description: 'Custom fields flat under their 40-character keys (parts as <key>_<part>)' },
);

const UserObject = Type.Object({ value: Type.Integer() }, { additionalProperties: true });

/** A v1 organization. */
export const OrganizationV1 = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    owner_id: UserObject,
    active_flag: Type.Boolean(),
    visible_to: Type.String(),
    label_ids: Type.Array(Type.Integer()),
    people_count: Type.Integer(),
    open_deals_count: Type.Integer(),
    address: Nullable(Type.String()),
    add_time: Type.String(),
    update_time: Type.String(),
  },
  { additionalProperties: true, $id: 'OrganizationV1' },
);

const ById = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
const Related = Type.Object({ user: ById, organization: ById });

export const OrganizationV1Envelope = Type.Object({ success: Type.Boolean(), data: Type.Ref(OrganizationV1), related_objects: Related });
export const OrganizationV1ListEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Nullable(Type.Array(Type.Ref(OrganizationV1), { description: 'null when the page is empty, as in Pipedrive' })),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: Related,
});

export const ListOrganizationsV1Query = query({
  ...OffsetPageParams,
  user_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only organizations owned by this user' })),
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved org filter (GET /v1/filters); user_id is then ignored' })),
  first_char: Type.Optional(Type.String({ minLength: 1, maxLength: 2, description: 'Only names starting with this letter (either case)' })),
  sort: Type.Optional(Type.String({ description: '"field ASC, field2 DESC"; fields: id, name, owner_id, visible_to, add_time, update_time' })),
});

export const SearchOrganizationsV1Query = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  fields: Type.Optional(Type.String({ description: 'Comma-separated: address, custom_fields, notes, name' })),
  exact_match: Type.Optional(StringEnum(['true', 'false', '1', '0'])),
  ...OffsetPageParams,
});

export const OrganizationPersonsQuery = query({ ...OffsetPageParams });
export const OrganizationPersonsEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Nullable(Type.Array(Type.Ref(PersonV1))),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: Related,
});

export const OrganizationDealsQuery = query({
  ...OffsetPageParams,
  status: Type.Optional(StringEnum(['open', 'won', 'lost', 'deleted', 'all_not_deleted'], { default: 'all_not_deleted' })),
  sort: Type.Optional(Type.String({ description: '"field ASC, field2 DESC"' })),
  only_primary_association: Type.Optional(StringEnum(['0', '1'], { description: 'personsd lists the deals linked to the organization itself either way' })),
});

export const OrganizationMergeBody = Type.Object(
  { merge_with_id: Type.Union([Type.Integer(), Type.String()], { description: 'The organization that survives the merge' }) },
  { additionalProperties: false },
);
