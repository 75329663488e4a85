import { invalid } from './errors.js';

/*
 * The lenient value readers of v1 bodies for organizations and deals (persons have theirs in
 * person-model/person-input-v1.ts): ids and numbers as numeric strings, the `{value}` object a v1 read shows for an
 * id, lists as comma-separated strings. A value of the wrong kind is a 400 naming its key.
 */

export function v1Text(field: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(`${field} must be a string; got ${JSON.stringify(value)}`);
}

export function v1Integer(field: string, value: unknown): number {
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw invalid(`${field} must be an integer; got ${JSON.stringify(value)}`);
  return number;
}

export function v1Number(field: string, value: unknown): number {
  const number = typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw invalid(`${field} must be a number; got ${JSON.stringify(value)}`);
  return number;
}

/** An id: a positive integer, its string, or the `{value}` / `{id}` object a v1 read shows. */
export function v1Id(field: string, value: unknown): number {
  const raw = value !== null && typeof value === 'object' && !Array.isArray(value) ? ((value as Record<string, unknown>).value ?? (value as Record<string, unknown>).id) : value;
  const number = v1Integer(field, raw);
  if (number < 1) throw invalid(`${field} must be a positive integer; got ${JSON.stringify(value)}`);
  return number;
}

/** An id that null, "" or 0 clears. */
export function v1OptionalId(field: string, value: unknown): number | null {
  return value === null || value === '' || value === 0 || value === '0' ? null : v1Id(field, value);
}

/** A list of ids: an array, one id, or a comma-separated string; null or "" is the empty list. */
export function v1Ids(field: string, value: unknown): number[] {
  if (value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  return list.map((item, index) => v1Id(`${field}[${index}]`, item));
}

/**
 * Keys a v1 body may carry that personsd cannot store yet: a 400 naming the first one given with a value, so an
 * integration learns at once instead of losing the value silently. null counts as not given. (Custom field keys
 * are checked against the company's field definitions by customFieldsFromV1.)
 */
export function refuseUnstorable(body: Readonly<Record<string, unknown>>, keys: readonly string[], entity: string): void {
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (keys.includes(key)) throw invalid(`${key} cannot be stored on ${entity} by personsd yet`, `Send the ${entity.replace(/s$/, '')} without ${key}.`);
  }
}

/** v1's first_char: one character, matched in either case. */
export function v1FirstChars(firstChar: string | undefined): string[] | undefined {
  if (firstChar === undefined) return undefined;
  const chars = [...firstChar];
  if (chars.length !== 1) throw invalid(`first_char must be one character; got "${firstChar}"`);
  return [...new Set([chars[0].toLowerCase(), chars[0].toUpperCase()])];
}
