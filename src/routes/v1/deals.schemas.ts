import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum, query } from '../../http/schemas.js';
import { OffsetPageParams, Pagination } from './v1-paging.js';

// v1 is lenient: ids and numbers may come as numeric strings. The body is checked by the v1 translation
// (domain/deals/deal-input-v1.ts), which names the key of any value it refuses.
const LenientId = (description: string) =>
  Type.Union([Type.Integer(), Type.String(), Type.Null(), Type.Object({ value: Type.Optional(Type.Integer()) }, { additionalProperties: true })], { description });
const LenientNumber = Type.Union([Type.Number(), Type.String(), Type.Null()]);

export const DealV1Body = Type.Object(
  {
    title: Type.Optional(Type.String({ description: 'Required on create' })),
    value: Type.Optional(LenientNumber),
    label: Type.Optional(Type.Union([Type.Array(Type.Union([Type.Integer(), Type.String()])), Type.Integer(), Type.String(), Type.Null()], { description: 'Label ids' })),
    currency: Type.Optional(Type.String({ description: "ISO 4217 code; defaults to the caller's default currency" })),
    user_id: Type.Optional(LenientId('The owner; defaults to the caller')),
    person_id: Type.Optional(LenientId('null, "" or 0 unlinks')),
    org_id: Type.Optional(LenientId('null, "" or 0 unlinks')),
    status: Type.Optional(Type.String({ description: 'open, won or lost' })),
    probability: Type.Optional(LenientNumber),
    lost_reason: Type.Optional(Nullable(Type.String())),
    visible_to: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: '"1", "3", "5" or "7"' })),
    expected_close_date: Type.Optional(Nullable(Type.String({ description: 'YYYY-MM-DD' }))),
    add_time: Type.Optional(Type.String({ description: 'YYYY-MM-DD HH:MM:SS (UTC)' })),
  },
  { additionalProperties: true, description: 'Custom fields flat under their 40-character keys; origin_id, channel and channel_id are refused: personsd cannot store them yet' },
);

/** A v1 deal. */
export const DealV1 = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    user_id: Type.Object({ value: Type.Integer() }, { additionalProperties: true }),
    person_id: Nullable(Type.Object({ value: Type.Integer() }, { additionalProperties: true })),
    org_id: Nullable(Type.Object({ value: Type.Integer() }, { additionalProperties: true })),
    value: Type.Number(),
    currency: Type.String(),
    status: Type.String(),
    visible_to: Type.String(),
    add_time: Type.String(),
    update_time: Type.String(),
  },
  { additionalProperties: true, $id: 'DealV1' },
);

const ById = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
export const DealRelated = Type.Object({ user: ById, person: ById, organization: ById });

export const DealV1Envelope = Type.Object({ success: Type.Boolean(), data: Type.Ref(DealV1), related_objects: DealRelated });
export const DealV1ListEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Nullable(Type.Array(Type.Ref(DealV1), { description: 'null when the page is empty, as in Pipedrive' })),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: DealRelated,
});

const StatusParam = StringEnum(['open', 'won', 'lost', 'deleted', 'all_not_deleted'], { default: 'all_not_deleted' });

export const ListDealsV1Query = query({
  ...OffsetPageParams,
  user_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only deals owned by this user' })),
  owned_by_you: Type.Optional(StringEnum(['0', '1'], { description: '1: only deals owned by the caller' })),
  status: Type.Optional(StatusParam),
  sort: Type.Optional(Type.String({ description: '"field ASC, field2 DESC"' })),
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved deals filter (GET /v1/filters); user_id and owned_by_you are then ignored' })),
  stage_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only deals in this stage' })),
});

export const SearchDealsV1Query = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  fields: Type.Optional(Type.String({ description: 'Comma-separated: custom_fields, notes, title' })),
  exact_match: Type.Optional(StringEnum(['true', 'false', '1', '0'])),
  person_id: Type.Optional(Type.Integer({ minimum: 1 })),
  organization_id: Type.Optional(Type.Integer({ minimum: 1 })),
  status: Type.Optional(StringEnum(['open', 'won', 'lost'])),
  include_fields: Type.Optional(Type.String({ description: 'deal.cc_email (accepted; personsd has no deal mailboxes)' })),
  ...OffsetPageParams,
});

export const DealPersonsQuery = query({ ...OffsetPageParams });

export const DealMergeBody = Type.Object(
  { merge_with_id: Type.Union([Type.Integer(), Type.String()], { description: 'The deal that survives the merge' }) },
  { additionalProperties: false },
);
