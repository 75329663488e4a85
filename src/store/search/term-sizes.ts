import type { Executor } from '../executor.js';
import { gatheredReads } from '../gathered-reads.js';
import { type Lookup, estimatedRows } from './index-lookups.js';
import type { SearchEntity } from './search-match.js';

/*
 * How many rows hold a term of the terms index, counted up to a cap, to plan an AND: on PostgreSQL which part to
 * read in id order (the others are probed per candidate), on SQLite whether one part is rare enough to be read alone
 * (fts5-queries.ts). The kind of a term says little about it: the word "lovelace" in a company of Lovelaces holds
 * thousands of rows, the word "4242" one, and reading the common one first made a search for one person read every
 * Lovelace (measured at 100,000 persons on PostgreSQL: 100 ms a search).
 * Counts of common terms are remembered for ten minutes per process: they only choose a plan, never change a result,
 * so a stale count costs time at worst. Names and domains repeat from search to search, so most lookups find their
 * counts here.
 */

/** How a backend counts its terms' rows, and up to where. */
export interface TermCounting {
  /** Names the backend in what is remembered. */
  name: string;
  /** The rows holding each term (of the company, where the index knows companies), counted up to `cap`. */
  count(db: Executor, entity: SearchEntity, companyId: number, terms: string[], cap: number): Promise<Map<string, number>>;
  /** A first count stops here. */
  firstCap: number;
  /** Where every part of an AND reached the first cap, they are counted again up to here, when given. */
  tieCap?: number;
}

const REMEMBER_MS = 600_000;
const MAX_REMEMBERED = 50_000;
/**
 * Only counts this high are remembered. A rarer term is counted again by reading its few rows, in the query the
 * search makes anyway for its new terms (a number, an email's key: most searches have one); remembered, such terms
 * filled the map within seconds of searching and each clearing sent the common terms' counts, the ones that cost,
 * back to the database (seen at 100,000 persons: one recount of 10 to 14 common terms up to 10,000 took 90-190 ms;
 * the counting's share of the database's time in the bench's search went from 2.7-2.9 s to 1.6-2.7 s per 8 s run).
 */
const REMEMBER_FROM = 100;

interface Remembered {
  count: number;
  /** What the count stopped at: the count is exact when below it. */
  cap: number;
  at: number;
}

const remembered = new Map<string, Remembered>();

/**
 * The row counts of the tokens an AND of the lookup chooses between (not those it only excludes): none, and no
 * query, for a lookup without a choice to make. Counted up to the backend's first cap, and up to its tie cap (where it
 * has one) only where the first left an AND's parts tied at the cap.
 */
export async function termSizes(
  db: Executor,
  entity: SearchEntity,
  companyId: number,
  lookup: Lookup,
  counting: TermCounting,
  now = Date.now(),
): Promise<Map<string, number>> {
  const tokens = new Set<string>();
  collectTokens(lookup, tokens, false);
  const sizes = await countUpTo(db, counting, entity, companyId, [...tokens], counting.firstCap, now);
  if (counting.tieCap === undefined) return sizes;
  const tied = new Set<string>();
  collectTied(lookup, sizes, counting.firstCap, tied);
  if (tied.size > 0) for (const [token, count] of await countUpTo(db, counting, entity, companyId, [...tied], counting.tieCap, now)) sizes.set(token, count);
  return sizes;
}

async function countUpTo(db: Executor, counting: TermCounting, entity: SearchEntity, companyId: number, tokens: string[], cap: number, now: number): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const missing: string[] = [];
  const keyOf = (token: string) => `${counting.name}\u0000${entity}\u0000${companyId}\u0000${token}`;
  for (const token of tokens) {
    const known = remembered.get(keyOf(token));
    if (known && now - known.at < REMEMBER_MS && (known.cap >= cap || known.count < known.cap)) sizes.set(token, known.count);
    else missing.push(token);
  }
  if (missing.length === 0) return sizes;
  const counted = await gatheredCountsOf(counting)(db, missing.map((term) => ({ entity, companyId, cap, term })));
  if (remembered.size + counted.length > MAX_REMEMBERED) remembered.clear();
  for (const [i, term] of missing.entries()) {
    const n = counted[i];
    sizes.set(term, n);
    if (n >= REMEMBER_FROM) remembered.set(keyOf(term), { count: n, cap, at: now });
  }
  return sizes;
}

interface CountKey {
  entity: SearchEntity;
  companyId: number;
  cap: number;
  term: string;
}

type GatheredCounts = (db: Executor, keys: CountKey[]) => Promise<number[]>;
const gathered = new WeakMap<TermCounting, GatheredCounts>();

/**
 * Counts asked for in the same turn of the event loop (concurrent searches) go out as one call of the backend's
 * count per entity, company and cap, as reads by id do (gathered-reads.ts).
 */
function gatheredCountsOf(counting: TermCounting): GatheredCounts {
  let counts = gathered.get(counting);
  if (counts === undefined) {
    counts = gatheredReads<CountKey, number>(
      ({ entity, companyId, cap }) => `${entity}\u0000${companyId}\u0000${cap}`,
      async (db, keys) => {
        const { entity, companyId, cap } = keys[0];
        const counted = await counting.count(db, entity, companyId, [...new Set(keys.map((key) => key.term))], cap);
        return keys.map((key) => counted.get(key.term) ?? 0);
      },
    );
    gathered.set(counting, counts);
  }
  return counts;
}

/** The counted tokens of each AND whose every part reached the first cap: the first count cannot choose there. */
function collectTied(lookup: Lookup, sizes: ReadonlyMap<string, number>, cap: number, into: Set<string>): void {
  if (lookup.op === 'token') return;
  if (lookup.op === 'not') return collectTied(lookup.of, sizes, cap, into);
  if (lookup.op === 'and' && lookup.of.every((part) => estimatedRows(part, sizes) >= cap)) {
    const tokens = new Set<string>();
    collectTokens(lookup, tokens, true);
    for (const token of tokens) if ((sizes.get(token) ?? 0) >= cap) into.add(token);
  }
  for (const part of lookup.of) collectTied(part, sizes, cap, into);
}

function collectTokens(lookup: Lookup, into: Set<string>, inAnd: boolean): void {
  switch (lookup.op) {
    case 'token':
      if (inAnd) into.add(lookup.token);
      return;
    case 'and':
      for (const part of lookup.of) collectTokens(part, into, true);
      return;
    case 'or':
      for (const part of lookup.of) collectTokens(part, into, inAnd);
      return;
    case 'not':
      collectTokens(lookup.of, into, inAnd);
  }
}
