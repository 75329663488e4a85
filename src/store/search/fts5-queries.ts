import { type Lookup, type SearchIndex, anyOf, estimatedRows, indexKey } from './index-lookups.js';
import { SEARCH_TABLES, type SearchEntity } from './search-match.js';

/*
 * SQLite's side of the search indexes (see index-lookups.ts for which index answers what): FTS5 tables beside each
 * entity's search table, a trigram table per indexed column and a table of terms, and lookups rendered as MATCH
 * expressions.
 */

export function ftsTableName(entity: SearchEntity, index: SearchIndex): string {
  return `${SEARCH_TABLES[entity].table}_${indexKey(index)}`;
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

/**
 * An AND holding a part this rare (counted, term-sizes.ts) is read as that part alone (see withRarestParts). Each row
 * more than the AND's costs a search row read and a check in code (about 10 µs), so only a few may come.
 */
export const RARE_ROWS = 20;

/*
 * FTS5 finds an AND's rows by moving each part's list of ids to the next id they might share, and a list without
 * positions (`detail=none`) moves by reading its way there: at 1,000,000 persons an AND of a number (11 rows) and a
 * common surname (62,000) took 145 µs and one with four common parts (`example`, `com`, letter pairs) 400-3,000 µs,
 * against 18 for the number alone. So an AND whose rarest part holds at most RARE_ROWS rows becomes that part: a
 * superset of its rows, which the caller's check of each row narrows, as it does for every lookup of several words
 * (only those hold an AND; exact lookups, and the earlier tiers a lookup excludes, are tokens and ORs of them).
 */
export function withRarestParts(lookup: Lookup, sizes: ReadonlyMap<string, number>): Lookup {
  switch (lookup.op) {
    case 'token':
      return lookup;
    case 'or':
      return anyOf(lookup.of.map((part) => withRarestParts(part, sizes)));
    case 'not':
      // What is excluded stays exact: a superset there would hide rows.
      return { op: 'not', of: withRarestParts(lookup.of, sizes), except: lookup.except };
    case 'and': {
      const parts = lookup.of.map((part) => withRarestParts(part, sizes));
      const rarest = parts.reduce((best, part) => (estimatedRows(part, sizes) < estimatedRows(best, sizes) ? part : best));
      return estimatedRows(rarest, sizes) <= RARE_ROWS ? rarest : { op: 'and', of: parts };
    }
  }
}

/** A lookup as an FTS5 MATCH expression: each token a quoted phrase, every operation in parentheses. */
export function matchExpression(lookup: Lookup): string {
  return rendered(withAndsOutside(lookup));
}

// More alternatives than this in an OR are left where they are: the rewrite below repeats the AND's other parts once
// per alternative.
const MAX_SPREAD = 4;

/*
 * FTS5 finds the matches of every AND on its own, before an enclosing AND narrows them: in
 * `(ada OR (ad AND da)) AND turing AND 500000` the inner AND walks both letter pairs' lists of ids to their ends
 * looking for an id they share, although `500000` names one row (measured at 1,000,000 persons: 2.1 ms, against
 * 0.1 ms for the same matches written `(ada AND turing AND 500000) OR (ad AND da AND turing AND 500000)`). So an
 * OR holding an AND, inside an AND, is turned inside out: an alternative per branch, each with the AND's other parts.
 */
export function withAndsOutside(lookup: Lookup): Lookup {
  switch (lookup.op) {
    case 'token':
      return lookup;
    case 'or':
      return { op: 'or', of: lookup.of.map(withAndsOutside) };
    case 'not':
      return { op: 'not', of: withAndsOutside(lookup.of), except: withAndsOutside(lookup.except) };
    case 'and': {
      const parts = lookup.of.map(withAndsOutside);
      const at = parts.findIndex((part) => part.op === 'or' && part.of.length <= MAX_SPREAD && part.of.some((branch) => branch.op === 'and'));
      if (at < 0) return { op: 'and', of: parts };
      const others = parts.filter((_, k) => k !== at);
      const branches = (parts[at] as { readonly of: readonly Lookup[] }).of.map((branch): Lookup => ({ op: 'and', of: [...others, ...(branch.op === 'and' ? branch.of : [branch])] }));
      return withAndsOutside({ op: 'or', of: branches });
    }
  }
}

function rendered(lookup: Lookup): string {
  switch (lookup.op) {
    case 'token':
      return `"${lookup.token.replace(/"/g, '""')}"`;
    case 'and':
      return `(${lookup.of.map(rendered).join(' AND ')})`;
    case 'or':
      return `(${lookup.of.map(rendered).join(' OR ')})`;
    case 'not':
      return `(${rendered(lookup.of)} NOT ${rendered(lookup.except)})`;
  }
}
