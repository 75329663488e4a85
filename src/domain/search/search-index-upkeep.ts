import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { catchUpSearchIndex, searchIndexCompactionStep, searchIndexRowsIndexed } from '../../store/repositories/search.repository.js';
import type { Database } from '../../store/schema.js';
import type { MergeStep, MergeTarget } from '../../store/search/search-index-backend.js';

export interface UpkeepOptions {
  /**
   * How often the timer ticks: the longest a queued write waits, and so how large a batch grows, when no search
   * comes first to take the queue (SEARCH_INDEX_INTERVAL_MS).
   */
  intervalMs: number;
  /** How long no row may have been indexed before merging starts. */
  quietMs: number;
  /** How long no row may have been indexed before tables are merged into one piece each. */
  settledMs: number;
  /** How long at least between two merges into one piece: each rewrites whole tables. */
  oneMergeEveryMs: number;
  /** Runs a merge step elsewhere (SQLite: a worker thread); without it steps run on the store's connection. */
  merge?: MergeStep;
  /**
   * Whether requests have kept this thread busy since the last call. A merge into one piece then rests three times
   * as long as each step took, so it takes at most a quarter of a core from the requests it runs beside.
   */
  busy: () => boolean;
  /** The rest between two such steps. */
  rest: (ms: number) => Promise<void>;
  now: () => number;
  onError: (err: unknown) => void;
}

/** A step's length of work, then this many of rest, while requests keep the process busy. */
const REST_PER_STEP = 3;
/** A stop waits for a rest in progress. */
const MAX_REST_MS = 1000;

const DEFAULTS: Omit<UpkeepOptions, 'busy'> = {
  intervalMs: 100,
  quietMs: 1000,
  settledMs: 30_000,
  oneMergeEveryMs: 600_000,
  rest: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
  now: () => Date.now(),
  onError: () => {},
};

/** Busy: this thread was at work more than half the time since the last call (requests, not waiting on them). */
export function threadBusy(): () => boolean {
  let last = performance.eventLoopUtilization();
  return () => {
    const current = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(current, last);
    last = current;
    return since.utilization > 0.5;
  };
}

/**
 * A serving process's timer for the search index. Each tick indexes the writes queued for it (SQLite; see
 * ../../store/search/sqlite-backlog.ts) and, once writes have paused, merges a table writes left in many pieces
 * (../../store/search/sqlite-compaction.ts): step after step in the merger's worker thread until none is left or
 * writes resume, or a step a tick on the store's connection without a merger. Not while writes go on: even one step
 * a second doubled the mixed scenario's p99 (docs/benchmarks.md). Also after a start: a bulk load or another process
 * may have left the pieces. Those merges stop at a few pieces a table; once writes have paused for `settledMs`, the
 * tables are merged into one piece each (searches cost half as much at 1,000,000 persons), at most once every
 * `oneMergeEveryMs`, since each such merge rewrites whole tables. While requests keep the process busy, that merge
 * rests between its steps, three times as long as each took: at 1,000,000 persons it took a core for about 20 s and
 * half the CPU of the GETs it ran beside (docs/benchmarks.md). On PostgreSQL neither has anything to do.
 */
export class SearchIndexUpkeep {
  private readonly options: UpkeepOptions;
  private seen: number;
  /** Whether the index may be in many pieces: at start (unknown), and after every write. */
  private mayNeedMerge = true;
  /** Whether the index may be in more than one piece a table: the same, until a merge into one finishes. */
  private mayNeedOneMerge = true;
  private lastOneMerge = Number.NEGATIVE_INFINITY;
  /** Whether the merge into one piece in progress has merged anything yet. */
  private oneMergeDidWork = false;
  private quietSince: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    options: Partial<UpkeepOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options, busy: options.busy ?? threadBusy() };
    this.seen = searchIndexRowsIndexed(db);
    this.quietSince = this.options.now();
  }

  /** Ticks every `intervalMs`, one run at a time: a tick while one runs is skipped. */
  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch(this.options.onError)
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Indexes what is queued now (at shutdown: rather than by the next start; either is safe, the queue is durable). */
  flush(): Promise<void> {
    return catchUpSearchIndex(this.db);
  }

  async tick(): Promise<void> {
    await catchUpSearchIndex(this.db);
    this.sawNewRows();
    const { now, quietMs, settledMs, oneMergeEveryMs } = this.options;
    const quiet = now() - this.quietSince;
    if (this.mayNeedMerge) {
      if (quiet >= quietMs) this.mayNeedMerge = await this.merge('few');
      return;
    }
    if (!this.mayNeedOneMerge || quiet < settledMs || now() - this.lastOneMerge < oneMergeEveryMs) return;
    // More to merge: without a worker the next tick goes on; if writes came back, the next settled pause does.
    if (await this.merge('one')) return;
    // Finished: a merge that had something to do starts the wait for the next one.
    this.mayNeedOneMerge = false;
    if (this.oneMergeDidWork) this.lastOneMerge = now();
    this.oneMergeDidWork = false;
  }

  /**
   * Merge steps while writes stay paused (indexing what comes in between, as the ticks skipped meanwhile would have):
   * true while there is more to merge. Steps in the worker leave this thread free; without one, a step a tick.
   */
  private async merge(until: MergeTarget): Promise<boolean> {
    if (!this.options.merge) return this.step(until);
    for (;;) {
      const started = performance.now();
      if (!(await this.step(until))) return false;
      // Only the merge into one piece yields: it is an optimisation that can wait, where the merge after a burst of
      // writes is what keeps searches from slowing down threefold.
      if (until === 'one' && this.options.busy()) await this.options.rest(Math.min(MAX_REST_MS, REST_PER_STEP * (performance.now() - started)));
      await catchUpSearchIndex(this.db);
      if (this.sawNewRows()) return true;
    }
  }

  private async step(until: MergeTarget): Promise<boolean> {
    const stepped = await searchIndexCompactionStep(this.db, this.options.merge, until);
    if (stepped && until === 'one') this.oneMergeDidWork = true;
    return stepped;
  }

  /** Whether rows were indexed since the last look (by this timer, searches or bulk loads); restarts the quiet time. */
  private sawNewRows(): boolean {
    const indexed = searchIndexRowsIndexed(this.db);
    if (indexed === this.seen) return false;
    this.seen = indexed;
    this.mayNeedMerge = true;
    this.mayNeedOneMerge = true;
    this.quietSince = this.options.now();
    return true;
  }
}
