/*
 * The one text form search works on, shared by the index, the database queries and the ranking in code, so all
 * three agree on what matches:
 * - folded: lower case, accents removed (é → e, ß → ss), control characters turned into spaces;
 * - split into words (runs of letters and digits) and single punctuation characters, joined by one space;
 * - every stored value wrapped as `\u0001 word word \u0002`, so a value's start and end, and every word's start
 *   and end, are plain characters a substring search can look for.
 * With that, "the value equals the term", "a word equals the term", "a word starts with the term" and "the term is
 * inside a word" are all substring tests: `\u0001 t \u0002`, ` t `, ` t` and `t`.
 */

import { VALUE_END, VALUE_START } from '../../store/search/search-match.js';
import { PRINTABLE_ASCII, searchForm } from '../normalize/text-fold.js';

export { fold, isWord, pieces, searchForm } from '../normalize/text-fold.js';

/** The indexed text of a field's values: each non-empty value wrapped in the start and end markers. */
export function indexText(values: Iterable<string>): string {
  let text = '';
  for (const value of values) {
    const form = searchForm(value);
    if (form !== '') text += `${VALUE_START} ${form} ${VALUE_END}`;
  }
  return text;
}

/** The digits of a phone number, which is what phones are matched on whatever their formatting. */
export function phoneDigits(value: string): string {
  return value.replace(/\D+/g, '');
}

/** Length in characters (code points), which is what the trigram index counts. */
export function charLength(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : Array.from(text).length;
}
