/*
 * What a search asks the index, in the index's own terms. Every indexed column holds its values as
 * `\u0001 word word \u0002` (see src/domain/search/search-text.ts), so each kind of match is a substring test of
 * the column text, and the databases answer it with a substring index (FTS5 trigram, pg_trgm).
 */

export const VALUE_START = '\u0001';
export const VALUE_END = '\u0002';

/** From best to worst: the whole value, a whole word, the start of a word, anywhere inside a word. */
export type MatchKind = 'exact' | 'word' | 'prefix' | 'inner';
export const MATCH_KINDS: readonly MatchKind[] = ['exact', 'word', 'prefix', 'inner'];

/** One test: the column's text contains `text` in the way `kind` says. `text` is already in searchable form. */
export interface ColumnMatch {
  readonly column: string;
  readonly kind: MatchKind;
  readonly text: string;
}

/** The substring of the indexed column text that a match stands for. */
export function matchPhrase(match: ColumnMatch): string {
  switch (match.kind) {
    case 'exact':
      return `${VALUE_START} ${match.text} ${VALUE_END}`;
    case 'word':
      return ` ${match.text} `;
    case 'prefix':
      return ` ${match.text}`;
    case 'inner':
      return match.text;
  }
}

/**
 * The union of the given matches with the redundant ones dropped: of matches on the same column and text, the
 * broadest kind's set contains every narrower kind's (a whole value is a whole word is a word start is inside a
 * word), so only it is kept.
 */
export function broadestMatches(matches: readonly ColumnMatch[]): ColumnMatch[] {
  const keys = matches.map((m) => `${m.column}\u0000${m.text}`);
  const broadest = new Map<string, number>();
  matches.forEach((m, i) => broadest.set(keys[i], Math.max(broadest.get(keys[i]) ?? -1, MATCH_KINDS.indexOf(m.kind))));
  const seen = new Set<string>();
  return matches.filter((m, i) => {
    if (MATCH_KINDS.indexOf(m.kind) !== broadest.get(keys[i]) || seen.has(keys[i])) return false;
    seen.add(keys[i]);
    return true;
  });
}

/**
 * One tier of a search, in rank order: a row belongs to the first tier any of whose matches it satisfies. The
 * store returns a tier's candidates in id order; the caller checks each against the earlier tiers.
 */
export interface SearchTiers {
  entity: SearchEntity;
  tiers: ColumnMatch[][];
}

export type SearchEntity = 'person' | 'organization' | 'deal';

/** The indexed columns of each entity's search row, and the id column. */
export const SEARCH_TABLES = {
  person: { table: 'person_search', id: 'person_id', columns: ['name', 'email', 'phone', 'custom', 'notes'] },
  organization: { table: 'organization_search', id: 'organization_id', columns: ['name', 'address', 'custom'] },
  deal: { table: 'deal_search', id: 'deal_id', columns: ['title'] },
} as const;

export type SearchColumn<E extends SearchEntity> = (typeof SEARCH_TABLES)[E]['columns'][number];

/** An entity's indexed text per column (empty string when it has nothing to find there). */
export type SearchDoc = Record<string, string>;

export interface SearchDocRow {
  id: number;
  doc: SearchDoc;
}
