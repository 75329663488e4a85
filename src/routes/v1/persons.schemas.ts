import { Type } from '@sinclair/typebox';
import { MARKETING_STATUSES } from '../../domain/person-model/person-input.js';
import { IdList, Nullable, StringEnum, query } from '../../http/schemas.js';
import { ItemSearchItemSchema } from '../v2/item-search.js';
import { OffsetPageParams, Pagination } from './v1-paging.js';

// v1 is lenient: ids and numbers may come as numeric strings, lists as one string. The body is checked by the
// v1 translation (domain/person-model/person-input-v1.ts), which names the key of any value it refuses.
const Id = (description: string) =>
  Type.Union([Type.Integer(), Type.String(), Type.Null(), Type.Object({ value: Type.Optional(Type.Integer()) }, { additionalProperties: true })], {
    description: `${description}; also the {value} object a v1 read shows`,
  });
const ContactList = (what: string) =>
  Type.Union([Type.String(), Type.Array(Type.Union([Type.String(), Type.Object({ value: Type.String(), primary: Type.Optional(Type.Union([Type.Boolean(), Type.Integer(), Type.String()])), label: Type.Optional(Type.String()) })]))], {
    description: `${what} as a string, a list of strings or a list of {value, primary, label}`,
  });

export const PersonV1Body = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create, unless first_name and last_name are given' })),
    first_name: Type.Optional(Nullable(Type.String())),
    last_name: Type.Optional(Nullable(Type.String())),
    owner_id: Type.Optional(Id('Defaults to the caller')),
    org_id: Type.Optional(Id('null, "" or 0 unlinks')),
    email: Type.Optional(ContactList('Emails')),
    phone: Type.Optional(ContactList('Phone numbers')),
    im: Type.Optional(ContactList('IM handles')),
    visible_to: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: '"1", "3", "5" or "7"' })),
    label: Type.Optional(Id('One label id; replaces label_ids')),
    label_ids: Type.Optional(Type.Union([Type.Array(Type.Union([Type.Integer(), Type.String()])), Type.String(), Type.Null()])),
    marketing_status: Type.Optional(StringEnum(MARKETING_STATUSES)),
    add_time: Type.Optional(Type.String({ description: 'YYYY-MM-DD HH:MM:SS (UTC)' })),
    postal_address: Type.Optional(Nullable(Type.String({ description: 'The full address; its parts as postal_address_<part> keys' }))),
    notes: Type.Optional(Nullable(Type.String())),
    birthday: Type.Optional(Nullable(Type.String({ description: 'YYYY-MM-DD' }))),
    job_title: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: true, description: 'Custom fields flat under their 40-character keys (parts as <key>_<part>)' },
);

/** A v1 person: its fixed keys plus the flat custom field keys. */
export const PersonV1 = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    owner_id: Type.Object({ value: Type.Integer() }, { additionalProperties: true }),
    org_id: Nullable(Type.Object({ value: Type.Integer() }, { additionalProperties: true })),
    email: Type.Array(Type.Object({ value: Type.String(), primary: Type.Boolean(), label: Type.String() })),
    phone: Type.Array(Type.Object({ value: Type.String(), primary: Type.Boolean(), label: Type.String() })),
    visible_to: Type.String(),
    active_flag: Type.Boolean(),
    add_time: Type.String(),
    update_time: Type.String(),
  },
  { additionalProperties: true, $id: 'PersonV1' },
);

const ById = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
const PersonRelated = Type.Object({ user: ById, organization: ById });

export const PersonV1Envelope = Type.Object({ success: Type.Boolean(), data: Type.Ref(PersonV1), related_objects: PersonRelated });
export const PersonV1ListEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Nullable(Type.Array(Type.Ref(PersonV1), { description: 'null when the page is empty, as in Pipedrive' })),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: PersonRelated,
});

export const ListPersonsV1Query = query({
  ...OffsetPageParams,
  user_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only persons owned by this user' })),
  org_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only persons of this organization' })),
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved people filter (GET /v1/filters); user_id and org_id are then ignored' })),
  first_char: Type.Optional(Type.String({ minLength: 1, maxLength: 2, description: 'Only names starting with this letter (either case)' })),
  sort: Type.Optional(Type.String({ description: '"field ASC, field2 DESC"' })),
});

export const PersonsCollectionQuery = query({
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  since: Type.Optional(Type.String({ description: 'update_time from (YYYY-MM-DD HH:MM:SS or RFC 3339, UTC)' })),
  until: Type.Optional(Type.String({ description: 'update_time before' })),
  owner_id: Type.Optional(Type.Integer({ minimum: 1 })),
  first_char: Type.Optional(Type.String({ minLength: 1, maxLength: 2 })),
});
export const PersonsCollectionEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ id: Type.Integer() }, { additionalProperties: true })),
  additional_data: Type.Object({ next_cursor: Nullable(Type.String()) }),
});

export const BulkDeleteQuery = query({ ids: IdList });
export const BulkDeletedEnvelope = Type.Object({ success: Type.Boolean(), data: Type.Object({ id: Type.Array(Type.Integer()) }) });
export const DeletedV1Envelope = Type.Object({ success: Type.Boolean(), data: Type.Object({ id: Type.Integer() }) });

const V1Boolean = StringEnum(['true', 'false', '1', '0']);
export const SearchPersonsV1Query = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  fields: Type.Optional(Type.String({ description: 'Comma-separated: custom_fields, email, name, notes, phone' })),
  exact_match: Type.Optional(V1Boolean),
  organization_id: Type.Optional(Type.Integer({ minimum: 1 })),
  include_fields: Type.Optional(Type.String({ description: 'person.picture' })),
  ...OffsetPageParams,
});
export const SearchV1Envelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ items: Type.Array(ItemSearchItemSchema) }),
  additional_data: Type.Object({ pagination: Pagination }),
});

export const PersonDealsQuery = query({
  ...OffsetPageParams,
  status: Type.Optional(StringEnum(['open', 'won', 'lost', 'deleted', 'all_not_deleted'], { default: 'all_not_deleted' })),
  sort: Type.Optional(Type.String({ description: '"field ASC, field2 DESC"' })),
});
export const PersonDealsEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Nullable(Type.Array(Type.Object({ id: Type.Integer() }, { additionalProperties: true }))),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: Type.Object({ user: ById, person: ById, organization: ById }),
});

export const v1Boolean = (value: string | undefined) => (value === undefined ? undefined : value === 'true' || value === '1');
