import { type Lookup, type SearchIndex, indexKey } from './index-lookups.js';
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

/** A lookup as an FTS5 MATCH expression: each token a quoted phrase, every operation in parentheses. */
export function matchExpression(lookup: Lookup): string {
  switch (lookup.op) {
    case 'token':
      return `"${lookup.token.replace(/"/g, '""')}"`;
    case 'and':
      return `(${lookup.of.map(matchExpression).join(' AND ')})`;
    case 'or':
      return `(${lookup.of.map(matchExpression).join(' OR ')})`;
    case 'not':
      return `(${matchExpression(lookup.of)} NOT ${matchExpression(lookup.except)})`;
  }
}
