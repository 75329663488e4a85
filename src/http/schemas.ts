import { type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { invalid } from '../domain/errors.js';
import { MAX_INTEGER } from './validation.js';

/** A query-string schema: the listed parameters plus `api_token`, which any request may carry; nothing else. */
export function query<P extends TProperties>(properties: P) {
  return Type.Object({ ...properties, api_token: Type.Optional(Type.String()) }, { additionalProperties: false });
}

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'The ID of the item' }) });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorEnvelope = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String(),
    error_info: Type.String(),
    data: Type.Null(),
    additional_data: Type.Null(),
  },
  { $id: 'ErrorEnvelope', additionalProperties: true },
);

/** Comma-separated ids, as `ids=1,2,3`. */
export const IdList = Type.String({ pattern: '^\\s*\\d+(\\s*,\\s*\\d+)*\\s*$', description: 'Comma-separated ids' });

export function parseIdList(text: string | undefined, field = 'ids'): number[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(',').map((part) => Number(part.trim()));
  const tooBig = ids.find((id) => id > MAX_INTEGER);
  if (tooBig !== undefined) throw invalid(`${field} must list ids of at most ${MAX_INTEGER}; got ${tooBig}`);
  return ids;
}

export function parseCommaList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((part) => part.trim()).filter(Boolean);
}

/** A string enum that validates with one clear `enum` error (a union of literals reports one error per branch). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });

export const ListParams = {
  sort_by: Type.Optional(StringEnum(['id', 'update_time', 'add_time'], { default: 'id' })),
  sort_direction: Type.Optional(StringEnum(['asc', 'desc'], { default: 'asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
  updated_since: Type.Optional(Type.String({ description: 'RFC 3339; update_time >= this' })),
  updated_until: Type.Optional(Type.String({ description: 'RFC 3339; update_time < this' })),
};

/** Pipedrive's option-label switches on person and organization reads (see domain/label-flags.ts). */
/** The GET parameters that shape custom values and labels (persons, organizations, deals). */
export const RecordFieldParams = {
  custom_fields: Type.Optional(Type.String({ description: 'Comma-separated custom field keys to return (at most 15)' })),
  include_option_labels: Type.Optional(Type.Boolean({ description: 'true: enum and set values as {id, label} objects' })),
  include_labels: Type.Optional(Type.Boolean({ description: 'true: a labels array of {id, label} next to label_ids' })),
};
export const LabelObjects = Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), label: Type.Union([Type.String(), Type.Null()]) })));

export const LabelFlagParams = {
  include_option_labels: Type.Optional(Type.Boolean({ description: 'true is not supported yet; false is the default shape' })),
  include_labels: Type.Optional(Type.Boolean({ description: 'true is not supported yet; false is the default shape' })),
};

export const Envelope = <T extends TSchema>(data: T) => Type.Object({ success: Type.Boolean(), data });

export const CursorAdditionalData = Type.Object({ next_cursor: Nullable(Type.String()) });

/** A v2 list: the items plus `additional_data.next_cursor`. */
export const CursorListEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({ success: Type.Boolean(), data: Type.Array(item), additional_data: CursorAdditionalData });
