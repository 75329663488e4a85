import { now } from '../clock.js';

/** A span of whole UTC days: from `from` (inclusive) to `to` (exclusive), both `YYYY-MM-DD`. */
export interface DaySpan {
  from: string;
  to: string;
}

/** Before every stored date and after every one: the open ends of spans such as "before today". */
const BEGINNING = '0000-01-01';
const END = '9999-12-31';

/** Pipedrive's relative date values (GET /v1/filters/helpers) with their labels. */
export const RELATIVE_DATE_INTERVALS: Record<string, string> = {
  last_year: 'last year',
  this_year: 'this year',
  next_year: 'next year',
  last_quarter: 'last quarter',
  this_quarter: 'this quarter',
  next_quarter: 'next quarter',
  last_month: 'last month',
  this_month: 'this month',
  next_month: 'next month',
  last_week: 'last week',
  this_week: 'this week',
  next_week: 'next week',
};

export const RELATIVE_DATES: Record<string, string> = {
  '6_months_ago': '6 months ago',
  '5_months_ago': '5 months ago',
  '4_months_ago': '4 months ago',
  '3_months_ago': '3 months ago',
  '2_months_ago': '2 months ago',
  '1_months_ago': '1 month ago',
  '3_weeks_ago': '3 weeks ago',
  '2_weeks_ago': '2 weeks ago',
  '1_week_ago': '1 week ago',
  yesterday: 'yesterday',
  before_today: 'before today',
  today: 'today',
  later_or_today: 'today or later',
  before_tomorrow: 'before tomorrow',
  tomorrow: 'tomorrow',
  later_or_tomorrow: 'tomorrow or later',
  in_1_week: 'in 1 week',
  in_2_weeks: 'in 2 weeks',
  in_3_weeks: 'in 3 weeks',
  in_1_month: 'in 1 month',
  in_2_months: 'in 2 months',
  in_3_months: 'in 3 months',
  in_4_months: 'in 4 months',
  in_5_months: 'in 5 months',
  in_6_months: 'in 6 months',
};

export function isRelativeDate(value: string): boolean {
  return Object.hasOwn(RELATIVE_DATE_INTERVALS, value) || Object.hasOwn(RELATIVE_DATES, value);
}

/**
 * The days a relative value covers on personsd's clock (UTC; weeks start on Monday; quarters are Jan-Mar, …).
 * Read when a filter is applied, not when it is saved, so "this week" moves on with the clock (a frozen clock
 * freezes it). Undefined for a value that is not relative.
 */
export function relativeDays(value: string, at: number = now()): DaySpan | undefined {
  const today = new Date(at);
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const d = today.getUTCDate();
  const day = (offset: number) => utcDay(y, m, d + offset);
  const single = (offset: number) => ({ from: day(offset), to: day(offset + 1) });
  const weekStart = d - ((today.getUTCDay() + 6) % 7);
  const week = (k: number) => ({ from: utcDay(y, m, weekStart + 7 * k), to: utcDay(y, m, weekStart + 7 * (k + 1)) });
  const month = (k: number) => ({ from: utcDay(y, m + k, 1), to: utcDay(y, m + k + 1, 1) });
  const quarterStart = m - (m % 3);
  const quarter = (k: number) => ({ from: utcDay(y, quarterStart + 3 * k, 1), to: utcDay(y, quarterStart + 3 * (k + 1), 1) });
  const year = (k: number) => ({ from: utcDay(y + k, 0, 1), to: utcDay(y + k + 1, 0, 1) });
  const monthsAway = (k: number) => ({ from: sameDayMonthsAway(y, m, d, k), to: nextDay(sameDayMonthsAway(y, m, d, k)) });
  const ago = /^(\d)_(weeks?|months)_ago$/.exec(value);
  if (ago && Object.hasOwn(RELATIVE_DATES, value)) return ago[2].startsWith('week') ? single(-7 * Number(ago[1])) : monthsAway(-Number(ago[1]));
  const ahead = /^in_(\d)_(weeks?|months?)$/.exec(value);
  if (ahead && Object.hasOwn(RELATIVE_DATES, value)) return ahead[2].startsWith('week') ? single(7 * Number(ahead[1])) : monthsAway(Number(ahead[1]));
  switch (value) {
    case 'today':
      return single(0);
    case 'yesterday':
      return single(-1);
    case 'tomorrow':
      return single(1);
    case 'before_today':
      return { from: BEGINNING, to: day(0) };
    case 'later_or_today':
      return { from: day(0), to: END };
    case 'before_tomorrow':
      return { from: BEGINNING, to: day(1) };
    case 'later_or_tomorrow':
      return { from: day(1), to: END };
    case 'last_week':
      return week(-1);
    case 'this_week':
      return week(0);
    case 'next_week':
      return week(1);
    case 'last_month':
      return month(-1);
    case 'this_month':
      return month(0);
    case 'next_month':
      return month(1);
    case 'last_quarter':
      return quarter(-1);
    case 'this_quarter':
      return quarter(0);
    case 'next_quarter':
      return quarter(1);
    case 'last_year':
      return year(-1);
    case 'this_year':
      return year(0);
    case 'next_year':
      return year(1);
    default:
      return undefined;
  }
}

/** The one day `YYYY-MM-DD` names. */
export function exactDay(date: string): DaySpan {
  return { from: date, to: nextDay(date) };
}

function utcDay(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return utcDay(y, m - 1, d + 1);
}

/** The same day of the month k months away, or that month's last day when it is shorter (31 March - 1 month: 28/29 February). */
function sameDayMonthsAway(y: number, m: number, d: number, k: number): string {
  const last = new Date(Date.UTC(y, m + k + 1, 0)).getUTCDate();
  return utcDay(y, m + k, Math.min(d, last));
}
