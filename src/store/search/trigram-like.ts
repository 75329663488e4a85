import { type ColumnMatch, matchPhrase } from './search-match.js';

/*
 * PostgreSQL answers search with one pg_trgm GIN index per column of the search table and LIKE on the indexed
 * text, the same substring tests the SQLite indexes answer, so both backends return the same rows in the same
 * order. pg_trgm extracts the trigrams of the pattern (spaces included as word boundaries) to find candidate rows
 * and rechecks each; a 2-character fragment has no trigram, so PostgreSQL scans the company's rows in id order
 * for it, which stops as soon as the page is full. Each query is planned with its own pattern (see PLAN_PER_CALL).
 */

export function likePattern(match: ColumnMatch): string {
  return `%${matchPhrase(match).replace(/[\\%_]/g, '\\$&')}%`;
}
