/*
 * The term counts a process remembers (term-sizes.ts says which and for how long), by scope (a backend's entity of a
 * company) and then by term: a search looks up some sixty terms, and a key joining scope and term was a new string to
 * hash for each (13-17 µs a search in a micro-benchmark, against under 1 with the scope looked up once).
 */

export interface Remembered {
  count: number;
  /** What the count stopped at: the count is exact when below it. */
  cap: number;
  until: number;
}

/** Counts by scope and term, and how many there are in all. */
class CountMap {
  private readonly scopes = new Map<string, Map<string, Remembered>>();
  size = 0;

  get(scope: string, term: string): Remembered | undefined {
    return this.scopes.get(scope)?.get(term);
  }

  set(scope: string, term: string, count: Remembered): void {
    let terms = this.scopes.get(scope);
    if (terms === undefined) this.scopes.set(scope, (terms = new Map()));
    const before = terms.size;
    terms.set(term, count);
    this.size += terms.size - before;
  }
}

export interface CountLimits {
  /** Common counts held at most; past it they are all let go. */
  maxCommon: number;
  /** Rare counts held at most, the most recently used kept. */
  maxRare: number;
}

/**
 * Common counts in one map, let go together when it fills; rare ones in two generations, the recent and the older,
 * so that a count used again moves to the recent one and survives, while one-off terms age out as the recent
 * generation fills and becomes the older (a map kept in order of use would move an entry on every hit).
 */
export class RememberedCounts {
  private common = new CountMap();
  private recent = new CountMap();
  private older = new CountMap();

  constructor(private readonly limits: CountLimits) {}

  /** The count of the term, if one is remembered still good at `now`. */
  get(scope: string, term: string, now: number): Remembered | undefined {
    const common = this.common.get(scope, term);
    if (common !== undefined && now < common.until) return common;
    let rare = this.recent.get(scope, term);
    if (rare === undefined) {
      rare = this.older.get(scope, term);
      if (rare !== undefined && now < rare.until) this.rememberRare(scope, term, rare);
    }
    return rare !== undefined && now < rare.until ? rare : undefined;
  }

  rememberCommon(scope: string, term: string, count: Remembered): void {
    if (this.common.size >= this.limits.maxCommon) this.common = new CountMap();
    this.common.set(scope, term, count);
  }

  rememberRare(scope: string, term: string, count: Remembered): void {
    if (this.recent.size >= this.limits.maxRare / 2) {
      this.older = this.recent;
      this.recent = new CountMap();
    }
    this.recent.set(scope, term, count);
  }
}
