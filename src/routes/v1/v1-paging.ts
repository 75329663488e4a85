import { type TSchema, Type } from '@sinclair/typebox';
import { query } from '../../http/schemas.js';

/** v1 lists page by offset: `start` and `limit`, answered in `additional_data.pagination`. */
export const OffsetPageParams = {
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Pagination start' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Items per page; at most 500' })),
};
export const OffsetPageQuery = query(OffsetPageParams);

export const Pagination = Type.Object({
  start: Type.Integer(),
  limit: Type.Integer(),
  more_items_in_collection: Type.Boolean(),
  next_start: Type.Optional(Type.Integer()),
});

export const OffsetListEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({ success: Type.Boolean(), data: Type.Array(item), additional_data: Type.Object({ pagination: Pagination }) });

/** `next_start` appears only when more items follow, as in Pipedrive. */
export function offsetAdditionalData(page: { start: number; limit: number; more: boolean }) {
  return {
    pagination: { start: page.start, limit: page.limit, more_items_in_collection: page.more, ...(page.more && { next_start: page.start + page.limit }) },
  };
}
