import type { FilterPredicate, FilterTarget, FilterableTable, LeafTest } from '../../store/filters/filter-predicate.js';
import { invalid } from '../errors.js';
import { isCalendarDate } from '../time.js';
import { type ConditionGroup, type FilterCondition, isGroup } from './filter-conditions.js';
import type { FilterField } from './filter-field-types.js';
import type { FilterFields } from './filter-fields.js';
import { operatorsOf } from './filter-operators.js';
import { type DaySpan, exactDay, isRelativeDate, relativeDays } from './relative-dates.js';

/** The parts `extra_value` may pick from an address (`value` is the full address). */
export const ADDRESS_PARTS = new Set(['value', 'subpremise', 'street_number', 'route', 'sublocality', 'locality', 'admin_area_level_1', 'admin_area_level_2', 'country', 'postal_code', 'formatted_address']);
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * Turns a condition tree into the predicate the store evaluates, checking every line against the filter's fields:
 * the object, a known field, an operator its kind takes, a value of the right form. Relative dates become days on
 * the clock at `at`, so it runs each time a filter is applied. Refusals are 400s naming the line.
 */
export function conditionPredicate(tree: ConditionGroup, scope: FilterScope, at?: number): FilterPredicate {
  return group(tree, 'conditions', scope, at);
}

/** What a filter's conditions may name: its own object's fields, and those of the objects its records link to. */
export interface FilterScope {
  object: string;
  fields: FilterFields;
  related?: Record<string, { fields: FilterFields; table: FilterableTable; via: string }>;
}

function group(tree: ConditionGroup, path: string, scope: FilterScope, at: number | undefined): FilterPredicate {
  const parts = tree.conditions
    .map((node, index) => {
      const where = `${path}.conditions[${index}]`;
      return isGroup(node) ? group(node, where, scope, at) : scopedLine(node, where, scope, at);
    })
    .filter((part) => !isNothing(part));
  // A group without condition lines is ignored (Pipedrive's empty `or` group), so a tree of them selects everything.
  return parts.length === 0 ? NOTHING : { kind: tree.glue, parts };
}

const NOTHING: FilterPredicate = { kind: 'and', parts: [] };
const isNothing = (p: FilterPredicate) => p.kind === 'and' && p.parts.length === 0;

/** A line on the filter's own object, or on a linked one (tested on the linked record, in SQL). */
function scopedLine(condition: FilterCondition, path: string, scope: FilterScope, at: number | undefined): FilterPredicate {
  if (condition.object === scope.object) return line(condition, path, scope.fields, scope.object, at);
  const link = scope.related?.[condition.object];
  if (!link) {
    const named = [scope.object, ...Object.keys(scope.related ?? {})].map((o) => `"${o}"`).join(' or ');
    throw invalid(`${path}.object is "${condition.object}": this filter's conditions name ${named} fields`);
  }
  const part = line(condition, path, link.fields, condition.object, at);
  return { kind: 'related', table: link.table, via: link.via, part, whenMissing: matchesEmpty(part) };
}

/** Whether a predicate holds for a record whose every value is empty (a link to nothing). */
function matchesEmpty(p: FilterPredicate): boolean {
  switch (p.kind) {
    case 'leaf':
      return p.test.op === 'empty';
    case 'not':
      return !matchesEmpty(p.part);
    case 'and':
      return p.parts.every(matchesEmpty);
    case 'or':
      return p.parts.some(matchesEmpty);
    case 'related':
      return p.whenMissing;
  }
}

function line(condition: FilterCondition, path: string, fields: FilterFields, object: string, at: number | undefined): FilterPredicate {
  const field = fields.find(condition.field_id);
  if (!field) throw invalid(`${path}.field_id "${condition.field_id}" is not ${/^[aeiou]/.test(object) ? 'an' : 'a'} ${object} field that filters can use`);
  const operator = condition.operator.trim().replace(/\s+/g, ' ').replace(/^(not like|like|is null|is not null)/i, (m) => m.toUpperCase());
  if (!operatorsOf(field.kind).includes(operator)) {
    throw invalid(`${path}.operator "${condition.operator}" cannot be used with field "${field.name}" (${field.kind}); it takes ${operatorsOf(field.kind).join(', ')}`);
  }
  const target = targetOf(field, condition, path);
  const leaf = (test: LeafTest): FilterPredicate => ({ kind: 'leaf', target, test });
  const not = (part: FilterPredicate): FilterPredicate => ({ kind: 'not', part });
  if (operator === 'IS NULL') return leaf({ op: 'empty' });
  if (operator === 'IS NOT NULL') return not(leaf({ op: 'empty' }));
  const valuePath = `${path}.value`;
  switch (field.kind) {
    case 'text':
    case 'address':
    case 'status': {
      const text = requireValue(condition.value, valuePath, field);
      if (operator.includes('LIKE')) {
        const test = leaf({ op: 'like', prefix: !operator.includes("'%$"), text });
        return operator.startsWith('NOT') ? not(test) : test;
      }
      const eq = leaf({ op: 'cmp', cmp: '=', value: text });
      return operator === '!=' ? not(eq) : eq;
    }
    case 'number':
      return ordered(operator, numberValue(condition.value, valuePath, field), leaf, not);
    case 'time':
      return ordered(operator, timeValue(condition.value, valuePath, field), leaf, not);
    case 'option': {
      const eq = leaf({ op: 'cmp', cmp: '=', value: idValue(condition.value, valuePath, field) });
      return operator === '!=' ? not(eq) : eq;
    }
    case 'set': {
      const has = leaf({ op: 'has', id: idValue(condition.value, valuePath, field) });
      return operator === '!=' || operator === 'not_contains' ? not(has) : has;
    }
    case 'date':
      return dateCondition(operator, daysOf(condition, valuePath, field, at), leaf, not);
  }
}

type Leaf = (test: LeafTest) => FilterPredicate;
type Not = (part: FilterPredicate) => FilterPredicate;

function ordered(operator: string, value: string | number, leaf: Leaf, not: Not): FilterPredicate {
  if (operator === '!=') return not(leaf({ op: 'cmp', cmp: '=', value }));
  return leaf({ op: 'cmp', cmp: operator as '=' | '<' | '>' | '<=' | '>=', value });
}

/** A date operator over whole days: "is" a span means inside it, "later than" after its last day, and so on. */
function dateCondition(operator: string, span: DaySpan, leaf: Leaf, not: Not): FilterPredicate {
  const from = leaf({ op: 'cmp', cmp: '>=', value: span.from });
  const before = leaf({ op: 'cmp', cmp: '<', value: span.to });
  switch (operator) {
    case '=':
      return { kind: 'and', parts: [from, before] };
    case '!=':
      return not({ kind: 'and', parts: [from, before] });
    case '<':
      return leaf({ op: 'cmp', cmp: '<', value: span.from });
    case '<=':
      return before;
    case '>':
      return leaf({ op: 'cmp', cmp: '>=', value: span.to });
    default:
      return from;
  }
}

function targetOf(field: FilterField, condition: FilterCondition, path: string): FilterTarget {
  if (field.kind !== 'address' || field.target.kind !== 'json') return field.target;
  const part = condition.extra_value ?? 'value';
  if (!ADDRESS_PARTS.has(part)) throw invalid(`${path}.extra_value "${part}" is not a part of an address; use one of ${[...ADDRESS_PARTS].join(', ')}`);
  return { ...field.target, path: [...field.target.path, part] };
}

function requireValue(value: string | null, path: string, field: FilterField): string {
  if (value === null || value === '') throw invalid(`${path} is required for field "${field.name}" with this operator`);
  return value;
}

function numberValue(value: string | null, path: string, field: FilterField): number {
  const number = Number(requireValue(value, path, field));
  if (!Number.isFinite(number) || value?.trim() === '') throw invalid(`${path} must be a number for field "${field.name}"; got ${JSON.stringify(value)}`);
  return number;
}

function idValue(value: string | null, path: string, field: FilterField): number {
  const text = requireValue(value, path, field);
  if (!/^\d{1,15}$/.test(text.trim())) throw invalid(`${path} must be an id (a positive integer) for field "${field.name}"; got ${JSON.stringify(value)}`);
  return Number(text);
}

function timeValue(value: string | null, path: string, field: FilterField): string {
  const m = TIME.exec(requireValue(value, path, field));
  if (!m) throw invalid(`${path} must be a time of day HH:MM:SS for field "${field.name}"; got ${JSON.stringify(value)}`);
  return field.minutes ? `${m[1]}:${m[2]}` : `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
}

/** A date value: `YYYY-MM-DD`, a relative value (`this_week`, …), or `exact_date` with the date in extra_value. */
function daysOf(condition: FilterCondition, path: string, field: FilterField, at: number | undefined): DaySpan {
  const value = requireValue(condition.value, path, field);
  const date = value === 'exact_date' ? (condition.extra_value ?? '') : value;
  if (isCalendarDate(date)) return exactDay(date);
  if (isRelativeDate(value)) return relativeDays(value, at) as DaySpan;
  throw invalid(`${path} must be a date YYYY-MM-DD or a relative date such as today, this_week or last_quarter for field "${field.name}"; got ${JSON.stringify(value)}`);
}
