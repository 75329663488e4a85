import { NOTE_SORT_FIELDS, type NoteListFilter, type NoteListPage, type NotePinFlag, type NoteSortField } from '../../store/repositories/notes.repository.js';
import { invalid } from '../errors.js';
import { DEFAULT_LIMIT } from '../paging.js';
import { isCalendarDate, parseTimestamp } from '../time.js';

/** `GET /v1/notes`'s query as the route reads it. */
export interface NoteListRequest {
  userId?: number;
  personId?: number;
  orgId?: number;
  dealId?: number;
  /** `YYYY-MM-DD`, inclusive both ends, on add_time (UTC). */
  startDate?: string;
  endDate?: string;
  updatedSince?: string;
  pinned?: Partial<Record<NotePinFlag, 0 | 1>>;
  /** `field ASC, field DESC`. */
  sort?: string;
  start?: number;
  limit?: number;
}

/** The store filter and page of a notes list request; bad dates and sort keys are a 400. */
export function noteListQuery(request: NoteListRequest): { filter: NoteListFilter; page: NoteListPage; limit: number } {
  const limit = request.limit ?? DEFAULT_LIMIT;
  const filter: NoteListFilter = { userId: request.userId, personId: request.personId, orgId: request.orgId, dealId: request.dealId, pinned: request.pinned };
  if (request.startDate !== undefined) filter.addedFrom = `${calendarDate('start_date', request.startDate)}T00:00:00Z`;
  if (request.endDate !== undefined) filter.addedBefore = dayAfter(calendarDate('end_date', request.endDate));
  if (request.updatedSince !== undefined) {
    const since = parseTimestamp(request.updatedSince);
    if (since === null) throw invalid(`updated_since: "${request.updatedSince}" is not an RFC 3339 date-time`);
    filter.updatedSince = since;
  }
  return { filter, page: { sort: parseNoteSort(request.sort), start: request.start ?? 0, take: limit + 1 }, limit };
}

/** Pipedrive's `sort`: comma-separated `field [ASC|DESC]` over the fields its spec lists. */
export function parseNoteSort(sort: string | undefined): NoteListPage['sort'] {
  if (sort === undefined || sort.trim() === '') return [{ field: 'id', direction: 'asc' }];
  return sort.split(',').map((part) => {
    const [field, direction = 'ASC', ...rest] = part.trim().split(/\s+/);
    if (!(NOTE_SORT_FIELDS as readonly string[]).includes(field) || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) {
      throw invalid(`sort: "${part.trim()}" is not a sort key`, `Use field ASC or field DESC with fields ${NOTE_SORT_FIELDS.join(', ')}, comma-separated.`);
    }
    return { field: field as NoteSortField, direction: direction.toLowerCase() as 'asc' | 'desc' };
  });
}

function calendarDate(name: string, text: string): string {
  if (!isCalendarDate(text)) throw invalid(`${name}: "${text}" is not a date`, 'Use YYYY-MM-DD.');
  return text;
}

function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 19) + 'Z';
}
