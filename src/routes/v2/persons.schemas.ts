import { Type } from '@sinclair/typebox';
import { MARKETING_STATUSES } from '../../domain/person-model/person-input.js';
import { PERSON_COUNT_FIELDS } from '../../domain/persons/person-counts.js';
import { PERSON_INCLUDE_FIELDS } from '../../domain/persons/person-render.js';
import { ADDRESS_PARTS } from '../../domain/address.js';
import { CursorListEnvelope, Envelope, IdList, ListParams, Nullable, StringEnum, query } from '../../http/schemas.js';

const Contact = Type.Object(
  {
    value: Type.String({ description: 'The email, phone number or handle' }),
    primary: Type.Optional(Type.Boolean()),
    label: Type.Optional(Type.String({ description: 'Defaults to "work"' })),
  },
  { additionalProperties: false },
);
const ContactOut = Type.Object({ value: Type.String(), primary: Type.Boolean(), label: Type.String() });

const PostalAddress = Type.Object(
  Object.fromEntries(ADDRESS_PARTS.map((part) => [part, Type.Optional(Nullable(Type.String()))])),
  { additionalProperties: false },
);

export const PersonBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create, unless first_name and last_name are given' })),
    first_name: Type.Optional(Nullable(Type.String())),
    last_name: Type.Optional(Nullable(Type.String())),
    owner_id: Type.Optional(Type.Integer({ description: 'Defaults to the caller' })),
    org_id: Type.Optional(Nullable(Type.Integer())),
    emails: Type.Optional(Type.Array(Contact)),
    phones: Type.Optional(Type.Array(Contact)),
    im: Type.Optional(Type.Array(Contact)),
    ims: Type.Optional(Type.Array(Contact, { description: 'Alias of im' })),
    visible_to: Type.Optional(Type.Integer({ description: '1, 3, 5 or 7' })),
    label_ids: Type.Optional(Type.Array(Type.Integer())),
    postal_address: Type.Optional(Nullable(PostalAddress)),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
    birthday: Type.Optional(Nullable(Type.String({ description: 'YYYY-MM-DD' }))),
    job_title: Type.Optional(Nullable(Type.String())),
    marketing_status: Type.Optional(StringEnum(MARKETING_STATUSES)),
    custom_fields: Type.Optional(Type.Object({}, { additionalProperties: true })),
    add_time: Type.Optional(Type.String({ description: 'RFC 3339' })),
    update_time: Type.Optional(Type.String({ description: 'RFC 3339' })),
  },
  { additionalProperties: false },
);

export const Person = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    owner_id: Type.Integer(),
    org_id: Nullable(Type.Integer()),
    add_time: Type.String(),
    update_time: Type.String(),
    emails: Type.Array(ContactOut),
    phones: Type.Array(ContactOut),
    is_deleted: Type.Boolean(),
    visible_to: Type.Integer(),
    label_ids: Type.Array(Type.Integer()),
    labels: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), label: Nullable(Type.String()) }), { description: 'Only with include_labels=true' })),
    picture_id: Nullable(Type.Integer()),
    custom_fields: Type.Object({}, { additionalProperties: true }),
    im: Type.Array(ContactOut),
    postal_address: Nullable(Type.Object({}, { additionalProperties: Nullable(Type.String()) })),
    notes: Nullable(Type.String()),
    birthday: Nullable(Type.String()),
    job_title: Nullable(Type.String()),
    marketing_status: Type.Optional(Nullable(Type.String())),
    ...Object.fromEntries(PERSON_COUNT_FIELDS.map((field) => [field, Type.Optional(Type.Integer())])),
  },
  { $id: 'PersonV2' },
);

const ReadParams = {
  include_fields: Type.Optional(Type.String({ description: `Comma-separated; supported: ${PERSON_INCLUDE_FIELDS.join(', ')}` })),
  custom_fields: Type.Optional(Type.String({ description: 'Comma-separated custom field keys to return (at most 15)' })),
  include_option_labels: Type.Optional(Type.Boolean({ description: 'true: enum and set custom field values as {id, label} objects' })),
  include_labels: Type.Optional(Type.Boolean({ description: 'true: adds `labels`, the {id, label} objects of label_ids' })),
};

export const GetPersonQuery = query(ReadParams);

export const ListPersonsQuery = query({
  ...ReadParams,
  ...ListParams,
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved people filter (GET /v1/filters); ids, owner_id, org_id and deal_id are then ignored' })),
  ids: Type.Optional(IdList),
  owner_id: Type.Optional(Type.Integer({ minimum: 1 })),
  org_id: Type.Optional(Type.Integer({ minimum: 1 })),
  deal_id: Type.Optional(Type.Integer({ minimum: 1, description: "Only the deal's person" })),
  label_id: Type.Optional(Type.Integer({ minimum: 1, description: 'personsd extension: only persons carrying this label (an option id of label_ids); also beside filter_id' })),
});

export const PersonEnvelope = Envelope(Type.Ref(Person));
export const PersonListEnvelope = CursorListEnvelope(Type.Ref(Person));
export const DeletedEnvelope = Envelope(Type.Object({ id: Type.Integer() }));
