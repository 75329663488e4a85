import { type ColumnMatch, VALUE_END, broadestMatches, matchPhrase } from './search-match.js';

/*
 * SQLite answers search with two FTS5 indexes per entity, both holding the same columns:
 * - `<table>_tri`, trigram tokens of the indexed text: any substring of 3 or more characters, lazily in rowid order;
 * - `<table>_terms`, whole tokens, for what trigrams answer slowly or not at all: a key token per value (exact
 *   matches), each word (whole-word matches), and the 2-letter pieces inside words (2-character fragments, which
 *   have no trigram). A word made of common trigrams such as "mar" is one doclist here instead of a scan of every
 *   row containing " ma", "mar" and "ar ".
 * Each tier of a search becomes one MATCH per index it needs: its own matches, NOT the earlier tiers' (so a row is
 * only returned for the best tier it belongs to), evaluated by FTS5 in rowid order and cut off by LIMIT.
 */

export type FtsIndex = 'tri' | 'terms';

const KEY_MARK = '\uE001';
const PAIR_MARK = '\uE000';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function chars(text: string): string[] {
  return PRINTABLE_ASCII.test(text) ? text.split('') : Array.from(text);
}

/** A value's key token: a 64-bit hash of its searchable form, made of characters the `ascii` tokenizer keeps. */
export function keyToken(form: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < form.length; i++) {
    const c = form.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return KEY_MARK + (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36);
}

/** The `terms` index text of a column: value keys, words, and the 2-letter pieces after each word's first letter. */
export function termsText(indexText: string): string {
  if (indexText === '') return '';
  const tokens = new Set<string>();
  for (const value of indexText.split(VALUE_END)) {
    if (value === '') continue;
    // `\u0001 a b ` → `a b`
    const form = value.slice(2, -1);
    tokens.add(keyToken(form));
    for (const piece of form.split(' ')) {
      const letters = chars(piece);
      // Single characters are never looked up as words (a 1-character term is only ever an exact match).
      if (letters.length < 2) continue;
      tokens.add(piece);
      for (let i = 1; i + 2 <= letters.length; i++) tokens.add(PAIR_MARK + letters[i] + letters[i + 1]);
    }
  }
  return [...tokens].join(' ');
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
const isOneWord = (text: string) => !text.includes(' ') && chars(text).length >= 2;

/** The FTS5 expression of a match in an index, or undefined when that index cannot answer it exactly. */
function expression(index: FtsIndex, match: ColumnMatch): string | undefined {
  const column = `{${match.column}}`;
  if (index === 'tri') {
    if (match.kind === 'inner' && chars(match.text).length < 3) return undefined;
    return `${column} : ${quote(matchPhrase(match))}`;
  }
  switch (match.kind) {
    case 'exact':
      return `${column} : ${quote(keyToken(match.text))}`;
    case 'word':
      return isOneWord(match.text) ? `${column} : ${quote(match.text)}` : undefined;
    case 'inner':
      return chars(match.text).length === 2 ? `${column} : ${quote(PAIR_MARK + match.text)}` : undefined;
    default:
      return undefined;
  }
}

/** The index that answers a match best. */
function preferredIndex(match: ColumnMatch): FtsIndex {
  switch (match.kind) {
    case 'exact':
      return 'terms';
    case 'word':
      return isOneWord(match.text) ? 'terms' : 'tri';
    case 'prefix':
      return 'tri';
    case 'inner':
      return chars(match.text).length >= 3 ? 'tri' : 'terms';
  }
}

/**
 * Earlier tiers' matches with the redundant ones dropped, to keep the NOT side short. In the trigram index every
 * kind is a substring of the next; in the terms index only a value key implies its word.
 */
function withoutImplied(index: FtsIndex, matches: ColumnMatch[]): ColumnMatch[] {
  if (index === 'tri') return broadestMatches(matches);
  const words = new Set(matches.filter((m) => m.kind === 'word').map((m) => `${m.column}\u0000${m.text}`));
  return matches.filter((m) => !(m.kind === 'exact' && words.has(`${m.column}\u0000${m.text}`)));
}

/**
 * The MATCH expressions that together list a tier's candidates: one per index its matches need. Earlier tiers'
 * matches the index can express are excluded in the expression; any it cannot express are left for the caller's
 * check of each row, which only costs reading a few extra rows.
 */
export function tierExpressions(tiers: ColumnMatch[][], tierIndex: number): Array<{ index: FtsIndex; expression: string }> {
  const byIndex = new Map<FtsIndex, string[]>();
  for (const match of tiers[tierIndex]) {
    const index = preferredIndex(match);
    const list = byIndex.get(index) ?? [];
    list.push(expression(index, match) as string);
    byIndex.set(index, list);
  }
  const earlier = tiers.slice(0, tierIndex).flat();
  return [...byIndex].map(([index, positives]) => {
    const negatives = withoutImplied(index, earlier.filter((m) => expression(index, m) !== undefined)).map((m) => expression(index, m) as string);
    const positive = positives.join(' OR ');
    return { index, expression: negatives.length === 0 ? positive : `(${positive}) NOT (${negatives.join(' OR ')})` };
  });
}
