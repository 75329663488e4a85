import fc from 'fast-check';
import { relativeDays } from '../../src/domain/filters/relative-dates.ts';

/**
 * A plain in-code model of persons and of what a filter condition tree selects among them, for the property test
 * of filter_id (test/v2/filter-id.test.ts), and of activities for activity filters: the same tree goes to personsd (SQL)
 * and to `selects` (this file).
 */
export interface ModelPerson {
  id: number;
  name: string;
  job_title: string | null;
  emails: string[];
  owner_id: number;
  org_id: number | null;
  label_ids: number[];
  score: number | null;
  size: number | null;
  tags: number[];
  since: string | null;
  birthday: string | null;
  add_time: string;
  /** The name of the person's organization (a condition on the linked record). */
  org_name: string | null;
}

export type Kind = 'text' | 'contacts' | 'number' | 'option' | 'set' | 'date' | 'stamp';

/** An activity of the model, for the property test of activity filters. */
export interface ModelActivity {
  id: number;
  subject: string;
  done: number;
  due_date: string;
  user_id: number;
  /** The name of the activity's person (a condition on the linked record). */
  person_name: string | null;
}

/** The condition objects a model field may belong to: the filter's own type or a linked record's. */
export type ModelObject = 'person' | 'organization' | 'activity';

/** A field of the model, the key of its value in the model record, and the values conditions on it draw from. */
export interface ModelField<T = ModelPerson> {
  /** The condition's object: `person` (the default), or a linked record's object. */
  object?: ModelObject;
  id: string;
  property: keyof T;
  kind: Kind;
  values: string[];
}

export interface Line {
  object: ModelObject;
  field_id: string;
  operator: string;
  value: string | null;
  extra_value: null;
}
export interface Group {
  glue: 'and' | 'or';
  conditions: (Group | Line)[];
}

const TEXT_OPS = ['=', '!=', 'IS NULL', 'IS NOT NULL', "LIKE '%$%'", "NOT LIKE '%$%'", "LIKE '$%'", "NOT LIKE '$%'"];
const ORDERED_OPS = ['=', '!=', '<', '>', '<=', '>=', 'IS NULL', 'IS NOT NULL'];
const CHOICE_OPS = ['=', '!=', 'IS NULL', 'IS NOT NULL'];
const SET_OPS = ['=', '!=', 'contains', 'not_contains', 'IS NULL', 'IS NOT NULL'];
const OPS: Record<Kind, string[]> = { text: TEXT_OPS, contacts: TEXT_OPS, number: ORDERED_OPS, option: CHOICE_OPS, set: SET_OPS, date: ORDERED_OPS, stamp: ORDERED_OPS };

function lineArb<T>(fields: ModelField<T>[]): fc.Arbitrary<Line> {
  return fc.constantFrom(...fields).chain((field) =>
    fc.record({
      object: fc.constant(field.object ?? 'person'),
      field_id: fc.constant(field.id),
      operator: fc.constantFrom(...OPS[field.kind]),
      value: fc.constantFrom(...field.values),
      extra_value: fc.constant(null),
    }),
  );
}

const count = (g: Group): number => g.conditions.reduce((n, c) => n + ('glue' in c ? count(c) : 1), 0);

/** Random trees of and / or groups up to three levels deep, at most 16 lines. */
export function treeArb<T>(fields: ModelField<T>[]): fc.Arbitrary<Group> {
  const { group } = fc.letrec<{ group: Group; node: Group | Line }>((tie) => ({
    group: fc.record({ glue: fc.constantFrom('and' as const, 'or' as const), conditions: fc.array(tie('node'), { maxLength: 3 }) }),
    node: fc.oneof({ depthSize: 'small', maxDepth: 2 }, lineArb(fields), tie('group')),
  }));
  return group.filter((g) => count(g) <= 16);
}

/** Whether the record (a person or an activity) matches the tree, read as the README describes filters. */
export function selects<T>(tree: Group, person: T, fields: Map<string, ModelField<T>>, now: number): boolean {
  // Groups without condition lines are ignored; a tree of nothing else selects everyone.
  const kept = tree.conditions.filter((node) => !('glue' in node) || count(node) > 0);
  if (kept.length === 0) return true;
  const results = kept.map((node) => ('glue' in node ? selects(node, person, fields, now) : matches(node, person, fields.get(`${node.object}:${node.field_id}`) as ModelField<T>, now)));
  return tree.glue === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function matches<T>(line: Line, person: T, field: ModelField<T>, now: number): boolean {
  const raw = person[field.property] as unknown;
  const op = line.operator;
  const value = line.value as string;
  const negated = op === '!=' || op.startsWith('NOT') || op === 'not_contains' || op === 'IS NOT NULL';
  const positive = negated ? ({ '!=': '=', 'IS NOT NULL': 'IS NULL', not_contains: 'contains' } as Record<string, string>)[op] ?? op.slice(4) : op;
  const list = Array.isArray(raw) ? (raw as (string | number)[]) : raw === null || raw === '' ? [] : [raw as string | number];
  let result: boolean;
  if (positive === 'IS NULL') result = list.length === 0;
  else if (field.kind === 'text' || field.kind === 'contacts') {
    const texts = list.map((v) => String(v));
    const lower = value.toLowerCase();
    if (positive === '=') result = texts.some((t) => t === value);
    else if (positive === "LIKE '%$%'") result = texts.some((t) => t.toLowerCase().includes(lower));
    else result = texts.some((t) => t.toLowerCase().startsWith(lower));
  } else if (field.kind === 'set') result = list.includes(Number(value));
  else if (field.kind === 'option') result = list.includes(Number(value));
  else if (field.kind === 'number') result = list.length > 0 && compare(Number(list[0]), positive, Number(value));
  else if (field.kind === 'date') result = list.length > 0 && compare(String(list[0]), positive, value);
  else {
    const span = relativeDays(value, now) ?? { from: value, to: value + '\uffff' };
    const stamp = String(list[0]);
    const inside = stamp >= span.from && stamp < span.to;
    result =
      positive === '=' ? inside : positive === '<' ? stamp < span.from : positive === '<=' ? stamp < span.to : positive === '>' ? stamp >= span.to : stamp >= span.from;
  }
  return negated ? !result : result;
}

function compare<T extends string | number>(a: T, op: string, b: T): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}
