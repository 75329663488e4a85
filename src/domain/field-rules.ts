import { invalid } from './errors.js';
import { parseTimestamp } from './time.js';

/** Rules shared by every entity's writable fields. */

export const MAX_NAME = 255;
export const VISIBILITY_LEVELS = [1, 3, 5, 7] as const;

export function visibility(value: number): number {
  if (!(VISIBILITY_LEVELS as readonly number[]).includes(value)) throw invalid(`visible_to must be one of 1, 3, 5, 7; got ${value}`);
  return value;
}

/** Optional free text: blank becomes null, longer than `max` is refused. */
export function limitedText(field: string, value: string | null, max: number): string | null {
  if (value === null || value.trim() === '') return null;
  if (value.length > max) throw invalid(`${field} is longer than ${max} characters`);
  return value;
}

export function timestamp(field: string, value: string): string {
  const parsed = parseTimestamp(value);
  if (parsed === null) {
    // An unencoded `+02:00` in a query string arrives as ` 02:00`.
    const hint = /\d \d{2}:\d{2}$/.test(value) ? 'A + in a query string must be sent as %2B.' : undefined;
    throw invalid(`${field} must be an RFC 3339 date-time such as 2025-01-31T10:20:00Z; got "${value}"`, hint);
  }
  return parsed;
}

/** A required name: trimmed, not empty, at most MAX_NAME characters. */
export function requiredName(field: string, value: string): string {
  const name = value.trim();
  if (name === '') throw invalid(`${field} must not be empty`);
  if (name.length > MAX_NAME) throw invalid(`${field} is longer than ${MAX_NAME} characters`);
  return name;
}
