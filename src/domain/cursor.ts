import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalid } from './errors.js';

/** Where a keyset page ended: the sort key's value and id of its last row, bound to the sort that produced it. */
export interface CursorPosition {
  field: string;
  direction: 'asc' | 'desc';
  value: string | number;
  id: number;
}

/**
 * Cursors are base64url JSON (the shape Pipedrive's own cursors have) followed by a short MAC, so a cursor that
 * was edited or truncated is refused instead of silently paging from somewhere else.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode(position: CursorPosition): string {
    const body = Buffer.from(
      JSON.stringify({ field: position.field, sortDirection: position.direction, fieldValue: position.value, id: position.id }),
    ).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  decode(cursor: string, field: string, direction: 'asc' | 'desc'): CursorPosition {
    const dot = cursor.lastIndexOf('.');
    const body = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (dot < 1 || given.length !== expected.length || !timingSafeEqual(given, expected)) throw badCursor();
    let parsed: { field?: unknown; sortDirection?: unknown; fieldValue?: unknown; id?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw badCursor();
    }
    if (parsed.field !== field || parsed.sortDirection !== direction) {
      throw invalid('cursor was issued for another sort order', 'Pass the same sort_by and sort_direction as the request that returned the cursor.');
    }
    if (!Number.isSafeInteger(parsed.id) || (typeof parsed.fieldValue !== 'string' && typeof parsed.fieldValue !== 'number')) {
      throw badCursor();
    }
    return { field, direction, value: parsed.fieldValue, id: parsed.id as number };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 16);
  }
}

function badCursor() {
  return invalid('cursor is not valid', 'Use the next_cursor value of a previous response unchanged.');
}
