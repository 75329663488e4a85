import fc from 'fast-check';

/** A JSON schema as /openapi.json states it (refs already inlined). */
export type Schema = Record<string, any>;

const MAX_DEPTH = 4;

/** Values a schema accepts (mostly): what a well-behaved client sends, so mutations start from a request that gets far. */
export function validValue(schema: Schema | undefined, hints: ValueHints = {}, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object') return fc.jsonValue({ maxDepth: 1 });
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0) return fc.oneof(...variants.map((s: Schema) => validValue(s, hints, depth)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return validValue(Object.assign({}, ...schema.allOf), hints, depth);
  const base = nonNullValue(schema, hints, depth);
  return schema.nullable ? fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : base;
}

/** Known ids and codes, so a generated `person_id` or `user_id` often names a real record. */
export type ValueHints = Record<string, readonly (string | number)[]>;

function nonNullValue(schema: Schema, hints: ValueHints, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringValue(schema);
    case 'integer': {
      const min = Math.max(schema.minimum ?? -1000, -(2 ** 31));
      const max = Math.min(schema.maximum ?? 100_000, 2 ** 31 - 1);
      return fc.integer({ min: Math.min(min, max), max });
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(validValue(schema.items, hints, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)) });
    case 'object':
    case undefined:
      if (!schema.properties && type === undefined) return fc.jsonValue({ maxDepth: 1 });
      return objectValue(schema, hints, depth);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function stringValue(schema: Schema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 20, 20);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'date-time') return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d+Z$/, 'Z'));
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? Infinity));
  return fc.string({ minLength, maxLength });
}

function objectValue(schema: Schema, hints: ValueHints, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    const known = hints[name];
    const value = depth >= MAX_DEPTH ? fc.constant(null) : validValue(property, hints, depth + 1);
    model[name] = known && known.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: value, weight: 1 }) : value;
  }
  const requiredKeys = [...required].filter((name) => name in model);
  const record = fc.record(model, { requiredKeys });
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object' && depth < MAX_DEPTH) {
    return fc.tuple(record, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), validValue(extra, hints, depth + 1), { maxKeys: 2 })).map(([r, d]) => ({ ...d, ...r }));
  }
  return record;
}

/** Strings a database or a parser could trip on: SQL and LIKE syntax, NUL, lone surrogates, RTL marks, templates. */
export const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'; DROP TABLE persons; --",
  '" OR ""="',
  "1' UNION SELECT * FROM users --",
  '%',
  '_',
  '%_%',
  '\\',
  '\\\\%',
  '*',
  '"',
  "'",
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\udc00\ud800',
  '\u202e\u0041',
  '\ufeff',
  '\u0301',
  '🏳️‍🌈',
  '𝕏𝕐',
  'Ω≈ç√∫',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../etc/passwd',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '0x10',
  '9007199254740993',
  ' ',
  '',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  'AND',
  'OR',
  'NEAR',
  '"unterminated',
  '-',
  'a*',
  '^',
  '(',
  '+33',
  '2025-02-30',
  '0000-00-00',
  '9999-12-31T23:59:60Z',
];

const HOSTILE_NUMBERS = [0, -1, -0, 1.5, 0.1, -(2 ** 31) - 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e21, 1e300, -1e300, Number.MAX_VALUE, Number.MIN_VALUE];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0000', "'", '%'), fc.integer({ min: 1_000, max: 300_000 })).map(([unit, n]) => unit.repeat(n)), weight: 1 },
);

/** A value of any JSON type, as often the wrong one for where it lands. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 2 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { id: null }), weight: 2 },
  { arbitrary: fc.integer({ min: 20, max: 2_000 }).map((depth) => nested(depth, depth % 2 === 0)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 2 },
);

function nested(depth: number, arrays: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
}

/** A key that can reach an object's prototype if anything assigns it naively. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const protoPayload = fc.constantFrom<unknown>({ polluted: true }, { prototype: { polluted: true } }, { __proto__polluted: 1 }, null, 'x', 1, []);

/** An own, enumerable property even for `__proto__`, so JSON.stringify writes the key. */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(target)) Object.defineProperty(copy, k, { value: target[k], enumerable: true, writable: true, configurable: true });
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withoutKey(target: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(target)) if (k !== key) Object.defineProperty(copy, k, { value: target[k], enumerable: true, writable: true, configurable: true });
  return copy;
}

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'drop'; at: number; pick: number }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'proto'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number; inArray: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileLeaf }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 20))), value: hostileLeaf }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom(...PROTO_KEYS), value: protoPayload }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), inArray: fc.boolean() }), weight: 1 },
);

/** One to three mutations of a valid value: wrong types, missing and extra keys, prototype keys at any depth, nesting. */
export function mutatedValue(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([value, mutations]) => mutations.reduce(applyMutation, value));
}

/** Every node of a JSON value, depth first, as a path of keys and indexes. */
function nodes(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.forEach((item, i) => nodes(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) nodes((value as any)[key], [...path, key], out);
  return out;
}

function applyMutation(value: unknown, m: Mutation): unknown {
  const all = nodes(value);
  const target = all[m.at % all.length];
  return updateAt(value, target, (node) => {
    switch (m.kind) {
      case 'replace':
        return m.value;
      case 'wrap':
        return m.inArray ? [node] : { value: node };
      case 'drop': {
        if (Array.isArray(node)) return node.filter((_, i) => i !== m.pick % Math.max(node.length, 1));
        if (node === null || typeof node !== 'object') return undefined;
        const keys = Object.keys(node);
        return keys.length === 0 ? node : withoutKey(node as Record<string, unknown>, keys[m.pick % keys.length]);
      }
      case 'extra':
      case 'proto':
        if (Array.isArray(node)) return [...node, withKey({}, m.key, m.value)];
        if (node === null || typeof node !== 'object') return withKey({}, m.key, m.value);
        return withKey(node as Record<string, unknown>, m.key, m.value);
    }
  });
}

function updateAt(value: unknown, path: (string | number)[], change: (node: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? updateAt(item, rest, change) : item));
  const object = value as Record<string, unknown>;
  const updated = updateAt(object[head as string], rest, change);
  return updated === undefined ? withoutKey(object, head as string) : withKey(object, head as string, updated);
}
