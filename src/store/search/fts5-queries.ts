import { type ColumnMatch, SEARCH_TABLES, type SearchEntity, VALUE_END, broadestMatches, matchPhrase } from './search-match.js';

/*
 * SQLite answers search with FTS5 indexes beside each entity's search table:
 * - `<table>_<column>` per indexed column: trigram tokens of the column text, so any substring of 3 or more
 *   characters is found, lazily in rowid order. One index per column keeps a column's lookups from wading through
 *   rows whose trigrams sit in another column (" gmail . com " is in every email, never in a name).
 * - `<table>_terms`: whole tokens, each qualified by its column: a key per value (exact matches), each word
 *   (whole-word matches) and the 2-letter pieces inside words (2-character fragments, which have no trigram). A
 *   word made of common trigrams such as "mar" is one short doclist here rather than a scan of every row holding
 *   " ma", "mar" and "ar ".
 * Each tier of a search becomes one MATCH per index it needs: its own matches, NOT the earlier tiers' matches that
 * the same index holds, evaluated by FTS5 in rowid order and cut off by LIMIT. Earlier-tier rows another index
 * would have to rule out are dropped by the caller's check of each row.
 */

/** An FTS5 table of an entity: a column's trigram index, or the terms index. */
export type FtsIndex = { kind: 'column'; column: string } | { kind: 'terms' };

const KEY_MARK = '\uE001';
const PAIR_MARK = '\uE000';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Indexed text: printable ASCII between the value markers.
const PRINTABLE_ASCII_OR_MARKS = /^[\x01\x02\x20-\x7e]*$/;

export function ftsTableName(entity: SearchEntity, index: FtsIndex): string {
  return `${SEARCH_TABLES[entity].table}_${index.kind === 'terms' ? 'terms' : index.column}`;
}

/** Every FTS5 table of an entity, with its definition. */
export function ftsTables(entity: SearchEntity): Array<{ name: string; definition: string }> {
  const columns = SEARCH_TABLES[entity].columns.map((column) => ({
    name: ftsTableName(entity, { kind: 'column', column }),
    definition: `fts5(text, content='', contentless_delete=1, tokenize='trigram case_sensitive 1', detail=full)`,
  }));
  // Terms carry their column in their first character, so no column filter (and no positions) is needed.
  return [...columns, { name: ftsTableName(entity, { kind: 'terms' }), definition: `fts5(tokens, content='', contentless_delete=1, tokenize='ascii', detail=none)` }];
}

function chars(text: string): string[] {
  return PRINTABLE_ASCII.test(text) ? text.split('') : Array.from(text);
}

/** A character (private use, so a token character for the `ascii` tokenizer) naming the column a term is in. */
function columnMark(entity: SearchEntity, column: string): string {
  return String.fromCharCode(0xe010 + (SEARCH_TABLES[entity].columns as readonly string[]).indexOf(column));
}

/** A value's key: a 64-bit hash of its searchable form, made of characters the `ascii` tokenizer keeps. */
function keyHash(form: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < form.length; i++) {
    const c = form.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36);
}

/** The terms of a row for the terms index: per column, value keys, words, and the 2-letter pieces after each word's first letter. */
export function termsText(entity: SearchEntity, doc: Record<string, string>): string {
  const tokens = new Set<string>();
  for (const column of SEARCH_TABLES[entity].columns) {
    const text = doc[column];
    if (!text) continue;
    const mark = columnMark(entity, column);
    const ascii = PRINTABLE_ASCII_OR_MARKS.test(text);
    let start = 0;
    for (let end = text.indexOf(VALUE_END); end >= 0; end = text.indexOf(VALUE_END, start)) {
      // `\u0001 a b \u0002` → `a b`
      const form = text.slice(start + 2, end - 1);
      start = end + 1;
      tokens.add(mark + KEY_MARK + keyHash(form));
      for (const piece of form.split(' ')) {
        const letters = ascii ? piece : Array.from(piece);
        // Single characters are never looked up as words (a 1-character term is only ever an exact match).
        if (letters.length < 2) continue;
        tokens.add(mark + piece);
        for (let i = 1; i + 2 <= letters.length; i++) tokens.add(mark + PAIR_MARK + letters[i] + letters[i + 1]);
      }
    }
  }
  return [...tokens].join(' ');
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
const isOneWord = (text: string) => !text.includes(' ') && chars(text).length >= 2;

/** The FTS5 expression of a match in an index, or undefined when that index cannot answer it exactly. */
function expression(entity: SearchEntity, index: FtsIndex, match: ColumnMatch): string | undefined {
  if (index.kind === 'column') {
    if (index.column !== match.column) return undefined;
    if (match.kind === 'inner' && chars(match.text).length < 3) return undefined;
    return quote(matchPhrase(match));
  }
  const mark = columnMark(entity, match.column);
  switch (match.kind) {
    case 'exact':
      return quote(mark + KEY_MARK + keyHash(match.text));
    case 'word':
      return isOneWord(match.text) ? quote(mark + match.text) : undefined;
    case 'inner':
      return chars(match.text).length === 2 ? quote(mark + PAIR_MARK + match.text) : undefined;
    default:
      return undefined;
  }
}

/** The index that answers a match best. */
function preferredIndex(match: ColumnMatch): FtsIndex {
  const column: FtsIndex = { kind: 'column', column: match.column };
  switch (match.kind) {
    case 'exact':
      return { kind: 'terms' };
    case 'word':
      return isOneWord(match.text) ? { kind: 'terms' } : column;
    case 'prefix':
      return column;
    case 'inner':
      return chars(match.text).length >= 3 ? column : { kind: 'terms' };
  }
}

/**
 * Earlier tiers' matches with the redundant ones dropped, to keep the NOT side short. In a trigram index every
 * kind is a substring of the next; in the terms index only a value key implies its word.
 */
function withoutImplied(index: FtsIndex, matches: ColumnMatch[]): ColumnMatch[] {
  if (index.kind === 'column') return broadestMatches(matches);
  const words = new Set(matches.filter((m) => m.kind === 'word').map((m) => `${m.column}\u0000${m.text}`));
  return matches.filter((m) => !(m.kind === 'exact' && words.has(`${m.column}\u0000${m.text}`)));
}

/** The MATCH expressions that together list a tier's candidates: one per index its matches need. */
export function tierExpressions(entity: SearchEntity, tiers: ColumnMatch[][], tierIndex: number): Array<{ table: string; expression: string }> {
  const byTable = new Map<string, { index: FtsIndex; positives: string[] }>();
  for (const match of tiers[tierIndex]) {
    const index = preferredIndex(match);
    const table = ftsTableName(entity, index);
    const entry = byTable.get(table) ?? { index, positives: [] };
    entry.positives.push(expression(entity, index, match) as string);
    byTable.set(table, entry);
  }
  return [...byTable].map(([table, { index, positives }]) => ({ table, expression: withExclusions(entity, index, positives, tiers.slice(0, tierIndex).flat()) }));
}

/**
 * The longest run of tiers from `from` on that one index answers alone (the exact-value tiers of every field are
 * all in the terms index, for instance), as one MATCH: when it finds few rows, one query serves the whole run.
 */
export function tierRunExpression(entity: SearchEntity, tiers: ColumnMatch[][], from: number): { table: string; expression: string; through: number } | undefined {
  const tableOf = (tier: number) => {
    const tables = new Set(tiers[tier].map((m) => ftsTableName(entity, preferredIndex(m))));
    return tables.size === 1 ? [...tables][0] : undefined;
  };
  const table = tableOf(from);
  if (table === undefined) return undefined;
  let through = from;
  while (through + 1 < tiers.length && tableOf(through + 1) === table) through += 1;
  if (through === from) return undefined;
  const index = preferredIndex(tiers[from][0]);
  const positives = tiers.slice(from, through + 1).flat().map((m) => expression(entity, index, m) as string);
  return { table, through, expression: withExclusions(entity, index, [...new Set(positives)], tiers.slice(0, from).flat()) };
}

/** `positives`, minus the rows the earlier tiers' matches (those this index can express) already claim. */
function withExclusions(entity: SearchEntity, index: FtsIndex, positives: string[], earlier: ColumnMatch[]): string {
  const expressible = earlier.filter((m) => expression(entity, index, m) !== undefined);
  const negatives = withoutImplied(index, expressible).map((m) => expression(entity, index, m) as string);
  const positive = positives.join(' OR ');
  return negatives.length === 0 ? positive : `(${positive}) NOT (${negatives.join(' OR ')})`;
}
