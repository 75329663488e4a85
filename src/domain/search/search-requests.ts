/** What the search endpoints take and answer, as the routes pass them in. */
export interface OrganizationSearchRequest {
  term: string;
  fields?: string[];
  exactMatch?: boolean;
  limit?: number;
  cursor?: string;
}

export interface DealSearchRequest extends OrganizationSearchRequest {
  personId?: number;
  organizationId?: number;
  status?: string;
  includeFields?: string[];
}

export interface PersonSearchRequest extends OrganizationSearchRequest {
  organizationId?: number;
  includeFields?: string[];
}

/** GET /v1/persons/search: v2's person search filters, paged by offset. */
export interface PersonOffsetSearchRequest extends Omit<PersonSearchRequest, 'cursor'> {
  start?: number;
}

/** GET /v1/organizations/search and /v1/deals/search: a one-kind search paged by offset. */
export interface OffsetSearchRequest {
  term: string;
  fields?: string[];
  exactMatch?: boolean;
  start?: number;
  limit?: number;
}

export interface ItemSearchRequest {
  term: string;
  itemTypes?: string[];
  fields?: string[];
  exactMatch?: boolean;
  includeFields?: string[];
  searchForRelatedItems?: boolean;
  start?: number;
  limit?: number;
}

export interface FieldSearchRequest {
  term: string;
  fieldType: string;
  fieldKey: string;
  exactMatch?: boolean;
  returnItemIds?: boolean;
  start?: number;
  limit?: number;
}

/** GET /api/v2/itemSearch: itemSearch's filters, paged by cursor. */
export interface ItemSearchCursorRequest extends Omit<ItemSearchRequest, 'start'> {
  cursor?: string;
}

/** How a field search compares a stored value with the term, case-sensitively: equal, starting with it, containing it. */
export type FieldMatch = 'exact' | 'beginning' | 'middle';

/** GET /api/v2/itemSearch/field */
export interface FieldSearchCursorRequest {
  term: string;
  entityType: string;
  field: string;
  match?: FieldMatch;
  limit?: number;
  cursor?: string;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OffsetPage<T> {
  items: T[];
  start: number;
  limit: number;
  more: boolean;
}
