import type { DefaultSortKey, KeysetPage, SortDirection } from '../store/keyset.js';
import type { CursorCodec } from './cursor.js';
import { timestamp } from './field-rules.js';

export interface ListRequest<S extends string = DefaultSortKey> {
  sortBy?: S;
  direction?: SortDirection;
  limit?: number;
  cursor?: string;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

export function pageFromRequest<S extends string>(cursors: CursorCodec, request: ListRequest<S>): KeysetPage<S | 'id'>;
export function pageFromRequest(cursors: CursorCodec, request: ListRequest): KeysetPage;
export function pageFromRequest<S extends string>(cursors: CursorCodec, request: ListRequest<S>): KeysetPage<S | 'id'> {
  const sortBy = request.sortBy ?? 'id';
  const direction = request.direction ?? 'asc';
  const page: KeysetPage<S | 'id'> = { sortBy, direction, limit: request.limit ?? DEFAULT_LIMIT };
  if (request.cursor) {
    const position = cursors.decode(request.cursor, sortBy, direction);
    page.after = { value: position.value, id: position.id };
  }
  return page;
}

/** Trims the look-ahead row and turns the last row kept into the next cursor. */
export function pageResult<Row extends { id: number }>(
  cursors: CursorCodec,
  page: KeysetPage<string>,
  rows: Row[],
): { rows: Row[]; nextCursor: string | null } {
  if (rows.length <= page.limit) return { rows, nextCursor: null };
  const kept = rows.slice(0, page.limit);
  const last = kept[kept.length - 1] as Row & Record<string, unknown>;
  const value = page.sortBy === 'id' ? last.id : (last[page.sortBy] as string);
  return { rows: kept, nextCursor: cursors.encode({ field: page.sortBy, direction: page.direction, value, id: last.id }) };
}

/** Validates and normalises `updated_since` / `updated_until` (RFC 3339 with any offset) to stored UTC form. */
export function timeFilters<F extends { updatedSince?: string; updatedUntil?: string }>(filter: F): F {
  return {
    ...filter,
    updatedSince: filter.updatedSince === undefined ? undefined : timestamp('updated_since', filter.updatedSince),
    updatedUntil: filter.updatedUntil === undefined ? undefined : timestamp('updated_until', filter.updatedUntil),
  };
}
