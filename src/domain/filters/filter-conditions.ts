import { invalid } from '../errors.js';

/** One condition line of a filter, as Pipedrive writes it. */
export interface FilterCondition {
  object: string;
  field_id: string;
  operator: string;
  value: string | null;
  extra_value: string | null;
}

/** A group of conditions and groups joined by one glue. */
export interface ConditionGroup {
  glue: 'and' | 'or';
  conditions: (ConditionGroup | FilterCondition)[];
}

/** Pipedrive's limit on the condition lines of one filter. */
export const MAX_CONDITIONS = 16;
/** Groups inside groups: Pipedrive writes two levels (the top group and its and / or groups); a little room beyond. */
export const MAX_DEPTH = 4;

export function isGroup(node: ConditionGroup | FilterCondition): node is ConditionGroup {
  return 'glue' in node;
}

/**
 * Reads a `conditions` body into a condition tree, checking its shape only (fields, operators and values are
 * checked against the filter's type in filter-predicate.ts). Every refusal is a 400 naming the part, such as
 * `conditions.conditions[1].conditions[0].operator`. Pipedrive's own writes are a top `and` group holding an
 * `and` group and an `or` group; any nesting of and / or groups up to MAX_DEPTH levels is accepted.
 */
export function parseConditionTree(raw: unknown): ConditionGroup {
  const counter = { lines: 0 };
  const tree = parseGroup(raw, 'conditions', 1, counter);
  if (counter.lines > MAX_CONDITIONS) throw invalid(`conditions has ${counter.lines} condition lines; a filter may have at most ${MAX_CONDITIONS}`);
  return tree;
}

function parseGroup(raw: unknown, path: string, depth: number, counter: { lines: number }): ConditionGroup {
  if (!isObject(raw)) throw invalid(`${path} must be an object {"glue": "and", "conditions": [...]}`);
  if (depth > MAX_DEPTH) throw invalid(`${path} is nested too deep: groups may be nested at most ${MAX_DEPTH} levels`);
  const unknown = Object.keys(raw).find((key) => key !== 'glue' && key !== 'conditions');
  if (unknown !== undefined) throw invalid(`${path} has an unknown property "${unknown}"; a group has glue and conditions`);
  const glue = typeof raw.glue === 'string' ? raw.glue.toLowerCase() : raw.glue;
  if (glue !== 'and' && glue !== 'or') throw invalid(`${path}.glue must be "and" or "or"; got ${JSON.stringify(raw.glue)}`);
  if (!Array.isArray(raw.conditions)) throw invalid(`${path}.conditions must be an array (it may be empty)`);
  const conditions = raw.conditions.map((item: unknown, index: number) => {
    const at = `${path}.conditions[${index}]`;
    if (isObject(item) && 'glue' in item) return parseGroup(item, at, depth + 1, counter);
    counter.lines += 1;
    if (counter.lines > MAX_CONDITIONS) throw invalid(`conditions has more than ${MAX_CONDITIONS} condition lines (at ${at}); a filter may have at most ${MAX_CONDITIONS}`);
    return parseCondition(item, at);
  });
  return { glue, conditions };
}

const CONDITION_KEYS = new Set(['object', 'field_id', 'operator', 'value', 'extra_value', 'json_value_flag', 'field_code']);

function parseCondition(raw: unknown, path: string): FilterCondition {
  if (!isObject(raw)) throw invalid(`${path} must be a group or a condition {"object", "field_id", "operator", "value", "extra_value"}`);
  const unknown = Object.keys(raw).find((key) => !CONDITION_KEYS.has(key));
  if (unknown !== undefined) throw invalid(`${path} has an unknown property "${unknown}"`);
  if (typeof raw.object !== 'string' || raw.object === '') throw invalid(`${path}.object must name the object the field belongs to, such as "person"`);
  const fieldId = typeof raw.field_id === 'number' && Number.isSafeInteger(raw.field_id) ? String(raw.field_id) : raw.field_id;
  if (typeof fieldId !== 'string' || fieldId === '') throw invalid(`${path}.field_id must be the id of a field (as a string)`);
  if (typeof raw.operator !== 'string' || raw.operator === '') throw invalid(`${path}.operator must be an operator such as "=" or "IS NULL"`);
  return {
    object: raw.object,
    field_id: fieldId,
    operator: raw.operator,
    value: scalar(raw.value, `${path}.value`),
    extra_value: scalar(raw.extra_value, `${path}.extra_value`),
  };
}

/** Condition values are strings on the wire (numbers are taken and kept as their text). */
function scalar(raw: unknown, path: string): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    if (raw.length > 1000) throw invalid(`${path} is longer than 1000 characters`);
    return raw;
  }
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'boolean') return raw ? '1' : '0';
  throw invalid(`${path} must be a string, a number or null; got ${JSON.stringify(raw)}`);
}

function isObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}
