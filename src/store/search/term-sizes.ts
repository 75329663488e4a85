import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { Lookup } from './index-lookups.js';
import { postgresTermsTable } from './postgres-terms.js';
import type { SearchEntity } from './search-match.js';

/*
 * How many rows of a company hold a term of PostgreSQL's terms index, counted up to a cap: which part of an AND to
 * read in id order (the others are probed per candidate). The kind of a term says little about it: the word
 * "lovelace" in a company of Lovelaces holds thousands of rows, the word "4242" one, and reading the common one
 * first made a search for one person read every Lovelace (measured at 100,000 persons: 100 ms a search).
 * Counts are remembered for a while per process: they only choose a plan, never change a result, so a stale count
 * costs time at worst. Names and domains repeat from search to search, so most lookups find their counts here.
 */

/** Counting stops here: beyond it, what matters is only that the term is common. */
export const TERM_COUNT_CAP = 1000;
const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 50_000;

interface Remembered {
  count: number;
  at: number;
}

const remembered = new Map<string, Remembered>();

/** The capped row counts of the tokens a lookup reads or probes (not those it only excludes). */
export async function termSizes(db: Executor, entity: SearchEntity, companyId: number, lookup: Lookup, now = Date.now()): Promise<Map<string, number>> {
  const tokens = new Set<string>();
  collectTokens(lookup, tokens);
  const sizes = new Map<string, number>();
  const missing: string[] = [];
  for (const token of tokens) {
    const known = remembered.get(`${entity}\u0000${companyId}\u0000${token}`);
    if (known && now - known.at < REMEMBER_MS) sizes.set(token, known.count);
    else missing.push(token);
  }
  if (missing.length === 0) return sizes;
  const table = sql.table(postgresTermsTable(entity));
  const counted = await sql<{ term: string; n: number }>`select t.term, (select count(*) from (select 1 from ${table} p
      where p.company_id = ${companyId} and p.term = t.term limit ${TERM_COUNT_CAP}) as capped)::int as n
    from unnest(${missing}::text[]) as t(term)`.execute(db);
  if (remembered.size + counted.rows.length > MAX_REMEMBERED) remembered.clear();
  for (const { term, n } of counted.rows) {
    sizes.set(term, n);
    remembered.set(`${entity}\u0000${companyId}\u0000${term}`, { count: n, at: now });
  }
  return sizes;
}

function collectTokens(lookup: Lookup, into: Set<string>): void {
  switch (lookup.op) {
    case 'token':
      into.add(lookup.token);
      return;
    case 'and':
    case 'or':
      for (const part of lookup.of) collectTokens(part, into);
      return;
    case 'not':
      collectTokens(lookup.of, into);
  }
}
