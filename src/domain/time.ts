import { now } from './clock.js';

/** The stored and v2 wire form of a timestamp: UTC, whole seconds, `Z` suffix. */
export function toStoredTime(date: Date): string {
  return date.toISOString().slice(0, 19) + 'Z';
}

export function nowStored(): string {
  return toStoredTime(new Date(now()));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

/** Parses an RFC 3339 date-time (a missing offset means UTC); returns null when it is not a real instant. */
export function parseTimestamp(text: string): string | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (!isRealDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const offset = m[8] === undefined || m[8].toUpperCase() === 'Z' ? 'Z' : m[8];
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${m[7] ?? ''}${offset}`);
  if (Number.isNaN(date.getTime())) return null;
  // An offset can push year 0001 back into year 0000 (or 9999 into 10000), which the stored form cannot sort.
  const year = date.getUTCFullYear();
  return year < 1 || year > 9999 ? null : toStoredTime(date);
}

/** v1 renders timestamps as `YYYY-MM-DD HH:MM:SS` (UTC). */
export function toV1Time(stored: string | null): string | null {
  return stored === null ? null : stored.slice(0, 10) + ' ' + stored.slice(11, 19);
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** A calendar date `YYYY-MM-DD` that exists (no 2023-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}
