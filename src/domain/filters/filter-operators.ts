import type { FieldKind } from './filter-field-types.js';

const NULLS = { 'IS NULL': 'is empty', 'IS NOT NULL': 'is not empty' };
const TEXT = {
  '=': 'is',
  '!=': 'is not',
  ...NULLS,
  "LIKE '%$%'": 'contains',
  "NOT LIKE '%$%'": 'does not contain',
  "LIKE '$%'": 'starts with',
  "NOT LIKE '$%'": 'does not start with',
};
const ORDERED = (less: string, more: string) => ({
  '=': 'is',
  '!=': 'is not',
  '<': `is ${less}`,
  '>': `is ${more}`,
  '<=': `is ${less} or equal to`,
  '>=': `is ${more} or equal to`,
  ...NULLS,
});
const CHOICE = { '=': 'is', '!=': 'is not', ...NULLS };

/** The operators each kind of field takes, with Pipedrive's labels (GET /v1/filters/helpers). */
export const OPERATORS: Record<FieldKind, Record<string, string>> = {
  text: TEXT,
  address: TEXT,
  number: ORDERED('less than', 'more than'),
  date: ORDERED('earlier than', 'later than'),
  time: ORDERED('before', 'after'),
  option: CHOICE,
  status: CHOICE,
  set: { '=': 'is', '!=': 'is not', contains: 'contains', not_contains: 'does not contain', ...NULLS },
};

/** The field types of Pipedrive's helpers answer, by the kind personsd compares them as. */
export const HELPER_TYPES: Record<string, FieldKind> = {
  varchar: 'text',
  varchar_auto: 'text',
  text: 'text',
  phone: 'text',
  address: 'address',
  int: 'number',
  double: 'number',
  monetary: 'number',
  date: 'date',
  daterange: 'date',
  time: 'time',
  timerange: 'time',
  enum: 'option',
  user: 'option',
  org: 'option',
  people: 'option',
  visible_to: 'option',
  status: 'status',
  set: 'set',
};

export function operatorsOf(kind: FieldKind): string[] {
  return Object.keys(OPERATORS[kind]);
}

/** GET /v1/filters/helpers: the operators per field type and the relative dates personsd understands. */
export function filterHelpers(relative: { intervals: Record<string, string>; dates: Record<string, string> }, addressParts: readonly string[]) {
  return {
    operators: Object.fromEntries(Object.entries(HELPER_TYPES).map(([type, kind]) => [type, OPERATORS[kind]])),
    deprecated_operators: {},
    relative_dates: { 'Relative date intervals': relative.intervals, 'Relative dates': relative.dates },
    address_field_components: Object.fromEntries(addressParts.map((part) => [part, part.replace(/_/g, ' ')])),
  };
}
