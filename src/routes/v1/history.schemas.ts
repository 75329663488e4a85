import { Type } from '@sinclair/typebox';
import { toV1Time } from '../../domain/time.js';
import { Nullable, StringEnum, query } from '../../http/schemas.js';
import { OffsetPageParams, Pagination } from './v1-paging.js';

/** The v1 changelog and flow of persons, organizations and deals: one set of schemas. */
export const ChangelogQuery = query({
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'Offset, for clients that page by offset; ignored with cursor' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
});
export const Change = Type.Object({
  field_key: Type.String(),
  old_value: Nullable(Type.String()),
  new_value: Nullable(Type.String()),
  actor_user_id: Type.Integer(),
  time: Type.String(),
  change_source: Nullable(Type.String()),
  change_source_user_agent: Nullable(Type.String()),
  is_bulk_update_flag: Type.Boolean(),
});
export const ChangelogEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Change),
  additional_data: Type.Object({ next_cursor: Nullable(Type.String()) }),
});

export const FlowQuery = query({
  ...OffsetPageParams,
  all_changes: Type.Optional(StringEnum(['0', '1'], { description: '1 includes custom field changes' })),
  items: Type.Optional(Type.String({ description: 'Comma-separated update types, e.g. personChange,deal,personFollower,personMerge' })),
});
const ById = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
export const FlowEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ object: Type.String(), timestamp: Type.String(), data: Type.Object({}, { additionalProperties: true }) })),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: Type.Object({ user: ById, person: ById, organization: ById, deal: ById }),
});

/** A stored field change as the v1 changelog answers it. */
export function renderChange(c: {
  field_key: string;
  old_value: string | null;
  new_value: string | null;
  actor_user_id: number;
  time: string;
  change_source: string | null;
  change_source_user_agent: string | null;
}) {
  return {
    field_key: c.field_key,
    old_value: c.old_value,
    new_value: c.new_value,
    actor_user_id: c.actor_user_id,
    time: toV1Time(c.time) as string,
    change_source: c.change_source,
    change_source_user_agent: c.change_source_user_agent,
    is_bulk_update_flag: false,
  };
}
