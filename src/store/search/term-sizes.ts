import type { Executor } from '../executor.js';
import { gatheredReads } from '../gathered-reads.js';
import { type Lookup, estimatedRows } from './index-lookups.js';
import { RememberedCounts } from './remembered-counts.js';
import type { SearchEntity } from './search-match.js';

/*
 * How many rows hold a term of the terms index, counted up to a cap, to plan an AND: on PostgreSQL which part to
 * read in id order (the others are probed per candidate), on SQLite whether one part is rare enough to be read alone
 * (fts5-queries.ts). The kind of a term says little about it: the word "lovelace" in a company of Lovelaces holds
 * thousands of rows, the word "4242" one, and reading the common one first made a search for one person read every
 * Lovelace (measured at 100,000 persons on PostgreSQL: 100 ms a search).
 * Counts are remembered per process, common terms' for ten minutes and rare ones' for seconds: they only choose a
 * plan, never change a result, so a stale count costs time at worst. Names and domains repeat from search to search,
 * so most lookups find their counts here.
 */

/** How a backend counts its terms' rows, and up to where. */
export interface TermCounting {
  /** Names the backend in what is remembered. */
  name: string;
  /** The rows holding each term (of the company, where the index knows companies), counted up to `cap`. */
  count(db: Executor, entity: SearchEntity, companyId: number, terms: string[], cap: number): Promise<Map<string, number>>;
  /** A first count stops here. */
  firstCap: number;
  /**
   * Where every part of an AND reached the first cap, they are counted again up to the first of these, and where they
   * all reached that too, up to the next.
   */
  tieCaps?: readonly number[];
}

const REMEMBER_MS = 600_000;
const MAX_REMEMBERED = 50_000;
/**
 * Counts this high are remembered for REMEMBER_MS, in a map of their own: each clearing of it sends the common
 * terms' counts, the ones that cost, back to the database (seen at 100,000 persons on PostgreSQL: one recount of 10
 * to 14 common terms up to 10,000 took 90-190 ms), so the many one-off terms of searches (numbers, email keys) must
 * not fill it.
 */
const REMEMBER_FROM = 100;
/**
 * Rarer counts are remembered briefly, those in use kept: a search counts every column's parts of its
 * words, and most of them are rare and repeat from search to search (a first name in the notes column: none), while
 * the one-off terms pass through. Briefly, because a rare term that became common in the meantime is read as if it
 * were rare (fts5-queries.ts, postgres-terms.ts): the right rows still, but each of them read and checked.
 */
const RARE_REMEMBER_MS = 10_000;
export const MAX_RARE_REMEMBERED = 20_000;

const remembered = new RememberedCounts({ maxCommon: MAX_REMEMBERED, maxRare: MAX_RARE_REMEMBERED });

/**
 * The row counts of the tokens an AND of the lookup chooses between (not those it only excludes): none, and no
 * query, for a lookup without a choice to make, nor for an AND one of whose parts is remembered to hold no rows (no
 * part can be smaller). Counted up to the backend's first cap, and up to each of its tie caps (where it has them) only
 * where the count before left an AND's parts tied at its cap.
 */
export async function termSizes(
  db: Executor,
  entity: SearchEntity,
  companyId: number,
  lookup: Lookup,
  counting: TermCounting,
  now = Date.now(),
): Promise<Map<string, number>> {
  const scope = `${counting.name}\u0000${entity}\u0000${companyId}`;
  const countsOf = (tokens: Iterable<string>, cap: number) => countUpTo(db, counting, scope, { entity, companyId, cap }, [...tokens], now);
  const tokens = new Set<string>();
  collectTokens(lookup, tokens, false);
  const sizes = rememberedCounts(scope, tokens, counting.firstCap, now);
  const needed = new Set<string>();
  collectTokens(lookup, needed, false, sizes);
  for (const token of sizes.keys()) needed.delete(token);
  if (needed.size > 0) for (const [token, count] of await countsOf(needed, counting.firstCap)) sizes.set(token, count);
  let cap = counting.firstCap;
  for (const next of counting.tieCaps ?? []) {
    const tied = new Set<string>();
    collectTied(lookup, sizes, cap, tied);
    if (tied.size === 0) break;
    for (const [token, count] of await countsOf(tied, next)) sizes.set(token, count);
    cap = next;
  }
  return sizes;
}

/** The remembered counts of the tokens that are good for `cap`. */
function rememberedCounts(scope: string, tokens: Iterable<string>, cap: number, now: number): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const token of tokens) {
    const known = remembered.get(scope, token, now);
    if (known && (known.cap >= cap || known.count < known.cap)) sizes.set(token, known.count);
  }
  return sizes;
}

async function countUpTo(db: Executor, counting: TermCounting, scope: string, at: Omit<CountKey, 'term'>, tokens: string[], now: number): Promise<Map<string, number>> {
  const sizes = rememberedCounts(scope, tokens, at.cap, now);
  const missing = tokens.filter((token) => !sizes.has(token));
  if (missing.length === 0) return sizes;
  const counted = await gatheredCountsOf(counting)(db, missing.map((term) => ({ ...at, term })));
  for (const [i, term] of missing.entries()) {
    const n = counted[i];
    sizes.set(term, n);
    if (n >= REMEMBER_FROM) remembered.rememberCommon(scope, term, { count: n, cap: at.cap, until: now + REMEMBER_MS });
    else remembered.rememberRare(scope, term, { count: n, cap: at.cap, until: now + RARE_REMEMBER_MS });
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

/** The counted tokens of each AND whose every part reached the cap: a count up to it cannot choose there. */
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

/** The tokens of the lookup's ANDs, leaving out, given `known` counts, the ANDs with a part known to be empty. */
function collectTokens(lookup: Lookup, into: Set<string>, inAnd: boolean, known?: ReadonlyMap<string, number>): void {
  switch (lookup.op) {
    case 'token':
      if (inAnd) into.add(lookup.token);
      return;
    case 'and':
      if (known && lookup.of.some((part) => estimatedRows(part, known) === 0)) return;
      for (const part of lookup.of) collectTokens(part, into, true, known);
      return;
    case 'or':
      for (const part of lookup.of) collectTokens(part, into, inAnd, known);
      return;
    case 'not':
      collectTokens(lookup.of, into, inAnd, known);
  }
}
