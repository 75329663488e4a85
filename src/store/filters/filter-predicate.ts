/**
 * A saved filter's conditions as the store evaluates them: a tree of and / or / not over leaf tests, each on one
 * place of a row (a column, a value inside a JSON column, a person's contact rows). The domain builds it from a
 * filter's condition tree (field ids resolved, relative dates turned into days); `predicate-sql.ts` is its one SQL
 * translation. Every leaf is two-valued (a missing value fails a comparison instead of making it unknown), so
 * `not` is the plain complement on both dialects.
 */
export type FilterPredicate =
  | { kind: 'and' | 'or'; parts: FilterPredicate[] }
  | { kind: 'not'; part: FilterPredicate }
  | { kind: 'leaf'; target: FilterTarget; test: LeafTest }
  /**
   * A test of the record this row links to through `via` (a person's organization, a deal's person): true when
   * that record is live, seen by the viewer and matches `part`; a row without such a record counts as linked to
   * one whose every value is empty, which `whenMissing` (worked out by the domain) says `part` does or does not match.
   */
  | { kind: 'related'; table: FilterableTable; via: string; part: FilterPredicate; whenMissing: boolean };

/** What a leaf reads. Column names are checked against the table's list in predicate-sql.ts. */
export type FilterTarget =
  /** A scalar column of the filtered table. */
  | { kind: 'column'; column: string; type: ValueType }
  /** A value inside a JSON text column (custom field values, address parts); `path` names object keys. */
  | { kind: 'json'; column: string; path: string[]; type: ValueType }
  /** A JSON array of ids (labels, `set` custom fields) at `path` in a JSON text column ([] = the column itself). */
  | { kind: 'json-set'; column: string; path: string[] }
  /** Any of a person's contact rows of this kind (its `value`): emails, phones, IM handles. */
  | { kind: 'contacts'; contactKind: 'email' | 'phone' | 'im'; type: 'text' };

/** How values compare: text and dates (stored as ISO text) as strings, numbers numerically. */
export type ValueType = 'text' | 'number';

export type Comparison = '=' | '<' | '>' | '<=' | '>=';

export type LeafTest =
  /** No value: NULL, a missing JSON key, an empty text, an empty id list, no contact row. */
  | { op: 'empty' }
  /** A present value compared with a constant. */
  | { op: 'cmp'; cmp: Comparison; value: string | number }
  /** A present text value starting with (`prefix`) or containing `text`, ASCII case ignored. */
  | { op: 'like'; prefix: boolean; text: string }
  /** An id list holding this id. */
  | { op: 'has'; id: number };

/** The tables a filter selects from, with the columns its leaves may read. */
export const FILTERABLE_COLUMNS = {
  persons: ['id', 'name', 'first_name', 'last_name', 'owner_id', 'org_id', 'visible_to', 'notes', 'birthday', 'job_title', 'marketing_status', 'add_time', 'update_time'],
  organizations: ['id', 'name', 'owner_id', 'visible_to', 'add_time', 'update_time'],
  deals: [
    'id', 'title', 'owner_id', 'creator_user_id', 'person_id', 'org_id', 'pipeline_id', 'stage_id', 'value', 'currency', 'status', 'probability', 'lost_reason',
    'visible_to', 'expected_close_date', 'add_time', 'update_time', 'won_time', 'lost_time', 'close_time',
  ],
  activities: [
    'id', 'subject', 'type', 'owner_id', 'person_id', 'org_id', 'deal_id', 'due_date', 'due_time', 'duration', 'done', 'public_description', 'note',
    'priority', 'marked_as_done_time', 'add_time', 'update_time',
  ],
} as const;

/** JSON text columns leaves may look into. */
export const FILTERABLE_JSON_COLUMNS = {
  persons: ['custom_fields', 'label_ids', 'postal_address'],
  organizations: ['custom_fields', 'label_ids', 'address'],
  // custom_fields: for deal custom fields once deals store them (organizations already do).
  deals: ['label_ids', 'custom_fields'],
  activities: ['location'],
} as const;

export type FilterableTable = keyof typeof FILTERABLE_COLUMNS;

/** The links `related` predicates may follow: a column of the row's table naming a record of another. */
export const FILTER_LINKS: Record<FilterableTable, Partial<Record<string, FilterableTable>>> = {
  persons: { org_id: 'organizations' },
  organizations: {},
  deals: { person_id: 'persons', org_id: 'organizations' },
  activities: { person_id: 'persons', org_id: 'organizations', deal_id: 'deals' },
};
