import { type ColumnMatch, SEARCH_TABLES, type SearchEntity, VALUE_END, broadestMatches, matchPhrase } from './search-match.js';

/*
 * Which index answers which match, for both backends. Each entity has two kinds of index beside its search table:
 * - a column index per indexed column, finding any substring of 3 or more characters: on SQLite an FTS5 trigram
 *   table per column (`<table>_<column>`, lazily in rowid order; one per column keeps a column's lookups from wading
 *   through rows whose trigrams sit in another column: " gmail . com " is in every email, never in a name); on
 *   PostgreSQL a pg_trgm GIN index per column of the search table, asked with LIKE (see trigram-like.ts).
 * - the terms index: whole tokens, each qualified by its column: a key per value (exact matches), each word
 *   (whole-word matches, 1-character words too), each word's first two, three and five letters (word starts) and
 *   the 2-letter pieces after a word's first letter (2-character fragments, which have no trigram; several-word
 *   terms). On SQLite an FTS5 table (`<table>_terms`, see fts5-queries.ts), on PostgreSQL a btree table of (company,
 *   term, id) rows (`<entity>_terms`, see postgres-terms.ts). A trigram query costs the rows holding all its
 *   trigrams, which common trigrams make large even when the answer is tiny: the word "mar" is one short list of ids
 *   here rather than every row holding " ma", "mar" and "ar ".
 * Each tier of a search becomes one lookup per index it needs: its own matches, NOT the earlier tiers' matches that
 * the same index knows exactly. A lookup is a small tree of tokens (and / or / not), rendered to an FTS5 MATCH
 * expression on SQLite and to SQL over the terms table on PostgreSQL, read in id order and cut off by LIMIT. Some
 * lookups return a superset (a word starting "bra" with the pairs "ac" and "ck" somewhere); the caller's check of
 * each row against the tiers drops what does not belong, as it drops earlier-tier rows another index would have had
 * to rule out.
 */

/** An index of an entity: a column's trigram index, or the terms index. */
export type SearchIndex = { kind: 'column'; column: string } | { kind: 'terms' };

/**
 * A lookup in one index: a token of it (a term of the terms index, or the phrase a column's trigram index finds),
 * rows having all / any of the parts, or rows of one part without those of another.
 */
export type Lookup =
  | { readonly op: 'token'; readonly token: string }
  | { readonly op: 'and'; readonly of: readonly Lookup[] }
  | { readonly op: 'or'; readonly of: readonly Lookup[] }
  | { readonly op: 'not'; readonly of: Lookup; readonly except: Lookup };

const KEY_MARK = '\uE001';
const PAIR_MARK = '\uE000';
const START_MARK = '\uE002';
const START3_MARK = '\uE003';
const START5_MARK = '\uE004';
// Letter pairs looked up per word beyond its first letters: each one more costs the index a probe per candidate
// row, and after the first three letters and two pairs few rows are left for the check in code to drop.
const MAX_PAIRS = 2;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Indexed text: printable ASCII between the value markers.
const PRINTABLE_ASCII_OR_MARKS = /^[\x01\x02\x20-\x7e]*$/;

/** A name for an index, the same on both backends (each maps it to its own table). */
export function indexKey(index: SearchIndex): string {
  return index.kind === 'terms' ? 'terms' : index.column;
}

function chars(text: string): string[] {
  return PRINTABLE_ASCII.test(text) ? text.split('') : Array.from(text);
}

/** How many characters `chars` would give, without making them. */
function charCount(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : Array.from(text).length;
}

/** A character (private use, so a token character for FTS5's `ascii` tokenizer) naming the column a term is in. */
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

/**
 * The terms of a row for the terms index, per column: a key per value, each word (of one character too), each word's
 * first two, three and five letters, and the 2-letter pieces after a word's first letter. Repeated terms are left in
 * (an FTS5 index without positions keeps one entry per row anyway; the PostgreSQL table keeps distinct ones).
 */
export function termTokens(entity: SearchEntity, doc: Record<string, string>): string[] {
  const out: string[] = [];
  for (const column of SEARCH_TABLES[entity].columns) {
    const text = doc[column];
    if (!text) continue;
    const mark = columnMark(entity, column);
    const pair = mark + PAIR_MARK;
    const ascii = PRINTABLE_ASCII_OR_MARKS.test(text);
    let start = 0;
    for (let end = text.indexOf(VALUE_END); end >= 0; end = text.indexOf(VALUE_END, start)) {
      // `\u0001 a b \u0002` → `a b`
      const form = text.slice(start + 2, end - 1);
      start = end + 1;
      out.push(mark + KEY_MARK + keyHash(form));
      for (const piece of form.split(' ')) {
        const letters = ascii ? piece : Array.from(piece);
        if (letters.length < 2) {
          // A 1-character word (an initial, a single digit) as a whole word only: one row where one is written at
          // all, so a several-word term holding one (`j . smith @ acme . com`) need not read every Smith at Acme.
          if (isOneCharacterWord(piece)) out.push(mark + piece);
          continue;
        }
        out.push(mark + piece, mark + START_MARK + letters[0] + letters[1]);
        if (letters.length >= 3) out.push(mark + START3_MARK + letters[0] + letters[1] + letters[2]);
        if (letters.length >= 5) out.push(mark + START5_MARK + (ascii ? piece.slice(0, 5) : (letters as string[]).slice(0, 5).join('')));
        for (let i = 1; i + 2 <= letters.length; i++) out.push(pair + letters[i] + letters[i + 1]);
      }
    }
  }
  return out;
}

/**
 * How few rows a terms-index lookup is likely to have, lower for fewer (a value key names a handful of rows, a
 * letter pair a large share): the PostgreSQL rendering reads the narrowest part of an AND and probes the others.
 */
export function breadth(lookup: Lookup): number {
  switch (lookup.op) {
    case 'token': {
      const kind = lookup.token.charAt(1);
      return kind === KEY_MARK ? 1 : kind === START5_MARK ? 20 : kind === START3_MARK ? 100 : kind === START_MARK || kind === PAIR_MARK ? 1000 : 10;
    }
    case 'and':
      return Math.min(...lookup.of.map(breadth));
    case 'or':
      return lookup.of.reduce((sum, part) => sum + breadth(part), 0);
    case 'not':
      return breadth(lookup.of);
  }
}

/** The rows a lookup can find at most, by the counted sizes of its tokens (term-sizes.ts); uncounted: unknown. */
export function estimatedRows(lookup: Lookup, sizes: ReadonlyMap<string, number>): number {
  switch (lookup.op) {
    case 'token':
      return sizes.get(lookup.token) ?? Number.MAX_SAFE_INTEGER;
    case 'and':
      return Math.min(...lookup.of.map((part) => estimatedRows(part, sizes)));
    case 'or':
      return lookup.of.reduce((sum, part) => sum + estimatedRows(part, sizes), 0);
    case 'not':
      return estimatedRows(lookup.of, sizes);
  }
}

const token = (text: string): Lookup => ({ op: 'token', token: text });
const and = (parts: Lookup[]): Lookup => (parts.length === 1 ? parts[0] : { op: 'and', of: parts });

/** Any of the lookups, each once. */
export function anyOf(parts: Lookup[]): Lookup {
  const byKey = new Map(parts.map((part) => [lookupKey(part), part]));
  return byKey.size === 1 ? parts[0] : { op: 'or', of: [...byKey.values()] };
}

/**
 * A text naming a lookup, equal for equal lookups. Each token is prefixed with its length, so no token can pass for
 * structure. (JSON.stringify took twice as long on these private-use characters.)
 */
export function lookupKey(lookup: Lookup): string {
  switch (lookup.op) {
    case 'token':
      return `${lookup.token.length}:${lookup.token}`;
    case 'and':
    case 'or':
      return `${lookup.op}(${lookup.of.map(lookupKey).join(',')})`;
    case 'not':
      return `not(${lookupKey(lookup.of)},${lookupKey(lookup.except)})`;
  }
}

const isOneWord = (text: string) => !text.includes(' ') && charCount(text) >= 2;

const ONE_ASCII_WORD_CHARACTER = /^[a-z0-9]$/;
const ONE_WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;

/** Whether a piece of searchable text is a word of one character (a letter or digit), not punctuation. */
export function isOneCharacterWord(piece: string): boolean {
  return ONE_ASCII_WORD_CHARACTER.test(piece) || ONE_WORD_CHARACTER.test(piece);
}

/** How an index answers a match: exactly, or with a superset of rows the caller's check of each row narrows. */
interface Answer {
  lookup: Lookup;
  exact: boolean;
}

/**
 * The terms-index candidates of text of several pieces (`jane doe`, `gmail . com`) for a kind of match: rows
 * holding, in the column, each piece as a whole word where the kind makes it one (all of them for a whole-word
 * match; all but the last, which starts a word, for a word-start match), and for a match inside words a word
 * ending with the first piece (that word itself, or one with the piece's letter pairs inside it). Undefined when
 * no piece says anything, as with `e . d`, which the trigram index answers better.
 */
function wordsLookup(mark: string, kind: ColumnMatch['kind'], text: string): Lookup | undefined {
  const pieces = text.split(' ');
  const filters: Lookup[] = [];
  // A whole word or a word's first three letters narrow the rows down; first two letters or letter pairs alone
  // (`. co`) can match a large share of a column, which the trigram index answers better.
  let narrow = false;
  pieces.forEach((piece, i) => {
    const last = i === pieces.length - 1;
    // A 1-character word is in the index as a whole word only (termTokens); punctuation (`.`, `@`) not at all.
    if (charCount(piece) < 2) {
      const wholeWord = !(kind === 'inner' && i === 0) && !(last && kind !== 'word');
      if (wholeWord && isOneCharacterWord(piece)) filters.push(token(mark + piece));
      return;
    }
    const letters = chars(piece);
    if (kind === 'inner' && i === 0) {
      filters.push({ op: 'or', of: [token(mark + piece), and(pairsFrom(mark, letters, 0))] });
    } else if (last && kind !== 'word') {
      filters.push(startLookup(mark, letters));
      narrow ||= letters.length >= 3;
    } else {
      filters.push(token(mark + piece));
      narrow = true;
    }
  });
  return narrow ? and(filters) : undefined;
}

/** Up to MAX_PAIRS letter pairs of the word, the first starting at letter `from`. */
function pairsFrom(mark: string, letters: string[], from: number): Lookup[] {
  const pairs: Lookup[] = [];
  for (let k = from; k < from + MAX_PAIRS && k + 1 < letters.length; k++) pairs.push(token(mark + PAIR_MARK + letters[k] + letters[k + 1]));
  return pairs;
}

/**
 * Rows with a word starting with these letters: its first five (or three, or two) letters, then its later letter
 * pairs. Five letters name few words where three name many: a number's first three digits start a thousandth of
 * all numbers, a name's (`rob`) every Robert, Roberts and Robinson.
 */
function startLookup(mark: string, letters: string[]): Lookup {
  if (letters.length === 2) return token(mark + START_MARK + letters[0] + letters[1]);
  const start = letters.length >= 5 ? 5 : 3;
  let first = mark + (start === 5 ? START5_MARK : START3_MARK);
  for (let k = 0; k < start; k++) first += letters[k];
  return and([token(first), ...pairsFrom(mark, letters, start - 1)]);
}

const ANSWERS = Symbol('index answers');

/** What a match answers in the terms index and in its own column's index, with what it was worked out for. */
interface Remembered extends ColumnMatch {
  readonly entity: SearchEntity;
  terms?: Answer | null;
  ownColumn?: Answer | null;
}

/**
 * A match in an index, or undefined when that index cannot answer it. Remembered with the match: choosing the
 * runs of tiers asks again for the answers of the tiers it walks (49 calls for the 16 matches of the bench's email
 * search). On the match object itself, under a symbol: a WeakMap keyed by every search's matches cost the garbage
 * collector a third of the planning's CPU (in process, planning and two tier runs of the bench's terms: 104 µs a
 * search with it, 31 µs without; a Map per search keyed by match or by its text cost as much or more). What
 * is remembered names what it was worked out for, so a copy of a match with other text works its own out.
 */
function answer(entity: SearchEntity, index: SearchIndex, match: ColumnMatch): Answer | undefined {
  if (index.kind === 'column' && index.column !== match.column) return undefined;
  const holder = match as ColumnMatch & { [ANSWERS]?: Remembered };
  let remembered = holder[ANSWERS];
  if (remembered === undefined || !workedOutFor(remembered, entity, match)) {
    holder[ANSWERS] = remembered = { entity, column: match.column, kind: match.kind, text: match.text };
  }
  const slot = index.kind === 'terms' ? 'terms' : 'ownColumn';
  let found = remembered[slot];
  if (found === undefined) remembered[slot] = found = answerOf(entity, index, match) ?? null;
  return found ?? undefined;
}

const workedOutFor = (remembered: Remembered, entity: SearchEntity, match: ColumnMatch) =>
  remembered.entity === entity && remembered.text === match.text && remembered.kind === match.kind && remembered.column === match.column;

/** Works out `answer`'s answer: the terms index's, or the match's own column's (`answer` turns other columns away). */
function answerOf(entity: SearchEntity, index: SearchIndex, match: ColumnMatch): Answer | undefined {
  if (index.kind === 'column') {
    if (match.kind === 'inner' && charCount(match.text) < 3) return undefined;
    return { lookup: token(matchPhrase(match)), exact: true };
  }
  const mark = columnMark(entity, match.column);
  if (match.kind === 'exact') return { lookup: token(mark + KEY_MARK + keyHash(match.text)), exact: true };
  if (match.text.includes(' ')) {
    const words = wordsLookup(mark, match.kind, match.text);
    return words === undefined ? undefined : { lookup: words, exact: false };
  }
  if (match.kind === 'word' && isOneWord(match.text)) return { lookup: token(mark + match.text), exact: true };
  // A word starting with the term: a superset (the letter pairs may sit elsewhere in the word) the caller narrows.
  if (match.kind === 'prefix' && charCount(match.text) >= 3) return { lookup: startLookup(mark, chars(match.text)), exact: false };
  if (match.kind === 'inner' && charCount(match.text) === 2) return { lookup: token(mark + PAIR_MARK + match.text), exact: true };
  return undefined;
}

/** The index that answers a match best. */
function preferredIndex(entity: SearchEntity, match: ColumnMatch): SearchIndex {
  const terms: SearchIndex = { kind: 'terms' };
  const column: SearchIndex = { kind: 'column', column: match.column };
  // Several words: their tokens find the rows far faster than trigrams common to many words (" jo", "ohn", "n s").
  if (match.kind !== 'exact' && match.text.includes(' ')) return answer(entity, terms, match) ? terms : column;
  switch (match.kind) {
    case 'exact':
      return terms;
    case 'word':
      return isOneWord(match.text) ? terms : column;
    case 'prefix':
      // Trigrams find a word start slowly when its letters are common elsewhere (" onferen" in every note with
      // "conference"); the word's first three letters find it directly. A 2-letter start is one trigram.
      return charCount(match.text) >= 3 ? terms : column;
    case 'inner':
      return charCount(match.text) >= 3 ? column : terms;
  }
}

/**
 * Earlier tiers' matches with the redundant ones dropped, to keep the NOT side short. In a trigram index every
 * kind is a substring of the next; in the terms index only a value key implies its word.
 */
function withoutImplied(index: SearchIndex, matches: ColumnMatch[]): ColumnMatch[] {
  if (index.kind === 'column') return broadestMatches(matches);
  const words = new Set(matches.filter((m) => m.kind === 'word' && isOneWord(m.text)).map((m) => `${m.column}\u0000${m.text}`));
  return matches.filter((m) => !(m.kind === 'exact' && words.has(`${m.column}\u0000${m.text}`)));
}

/** One index's part of a tier: the tier's matches it answers, what it looks up for them, and that minus earlier tiers. */
export interface IndexLookup {
  index: SearchIndex;
  matches: ColumnMatch[];
  positive: Lookup;
  lookup: Lookup;
}

/** The lookups that together list a tier's candidates: one per index its matches need. */
export function tierLookups(entity: SearchEntity, tiers: ColumnMatch[][], tierIndex: number): IndexLookup[] {
  const byIndex = new Map<string, { index: SearchIndex; matches: ColumnMatch[] }>();
  for (const match of tiers[tierIndex]) {
    const index = preferredIndex(entity, match);
    const entry = byIndex.get(indexKey(index)) ?? { index, matches: [] };
    entry.matches.push(match);
    byIndex.set(indexKey(index), entry);
  }
  return [...byIndex.values()].map(({ index, matches }) => {
    const positive = anyOf(matches.map((m) => (answer(entity, index, m) as Answer).lookup));
    return { index, matches, positive, lookup: withExclusions(entity, index, positive, tiers.slice(0, tierIndex).flat()) };
  });
}

/**
 * The longest run of tiers from `from` on that one index answers alone (the exact-value tiers of every field are
 * all in the terms index, for instance), as one lookup: when it finds few rows, one query serves the run. Exact
 * answers only, unless `supersets`: then also tiers whose lookup finds more rows than the tier has (a several-word
 * term's words), which the caller's check of each row sorts into tiers or drops. Each try reads at most a page, so
 * a run that turns out dense costs one page read for nothing.
 */
export function tierRunLookup(
  entity: SearchEntity,
  tiers: ColumnMatch[][],
  from: number,
  supersets = false,
): { index: SearchIndex; lookup: Lookup; through: number } | undefined {
  const keyOf = (tier: number) => {
    const indexes = tiers[tier].map((m) => preferredIndex(entity, m));
    const answers = tiers[tier].map((m, k) => answer(entity, indexes[k], m));
    if (answers.some((a) => a === undefined || (!supersets && !a.exact))) return undefined;
    const keys = new Set(indexes.map(indexKey));
    return keys.size === 1 ? [...keys][0] : undefined;
  };
  const key = keyOf(from);
  if (key === undefined) return undefined;
  let through = from;
  while (through + 1 < tiers.length && keyOf(through + 1) === key) through += 1;
  if (through === from) return undefined;
  const index = preferredIndex(entity, tiers[from][0]);
  // Only each column and text's broadest kind: its rows include the narrower kinds', and the caller sorts them.
  const positive = anyOf(broadestMatches(tiers.slice(from, through + 1).flat()).map((m) => (answer(entity, index, m) as Answer).lookup));
  return { index, through, lookup: withExclusions(entity, index, positive, tiers.slice(0, from).flat()) };
}

/**
 * `positive`, minus the rows the earlier tiers' matches already claim, where this index knows those rows exactly
 * (a superset there could exclude rows of this tier; the caller's check of each row drops the rest).
 */
function withExclusions(entity: SearchEntity, index: SearchIndex, positive: Lookup, earlier: ColumnMatch[]): Lookup {
  const exact = earlier.filter((m) => answer(entity, index, m)?.exact === true);
  const negatives = withoutImplied(index, exact).map((m) => (answer(entity, index, m) as Answer).lookup);
  return negatives.length === 0 ? positive : { op: 'not', of: positive, except: anyOf(negatives) };
}
