import type { Kysely } from 'kysely';
import { catchUpSearchIndex, searchIndexCompactionStep, searchIndexRowsIndexed } from '../../store/repositories/search.repository.js';
import type { Database } from '../../store/schema.js';
import type { MergeStep } from '../../store/search/search-index-backend.js';

export interface UpkeepOptions {
  /**
   * How often the timer ticks: the longest a queued write waits, and so how large a batch grows, when no search
   * comes first to take the queue (SEARCH_INDEX_INTERVAL_MS).
   */
  intervalMs: number;
  /** How long no row may have been indexed before merging starts. */
  quietMs: number;
  /** Runs a merge step elsewhere (SQLite: a worker thread); without it steps run on the store's connection. */
  merge?: MergeStep;
  now: () => number;
  onError: (err: unknown) => void;
}

const DEFAULTS: UpkeepOptions = { intervalMs: 100, quietMs: 1000, now: () => Date.now(), onError: () => {} };

/**
 * A serving process's timer for the search index. Each tick indexes the writes queued for it (SQLite; see
 * ../../store/search/sqlite-backlog.ts) and, once writes have paused, merges a table writes left in many pieces
 * (../../store/search/sqlite-compaction.ts): step after step in the merger's worker thread until none is left or
 * writes resume, or a step a tick on the store's connection without a merger. Not while writes go on: even one step
 * a second doubled the mixed scenario's p99 (docs/benchmarks.md). Also after a start: a bulk load or another process
 * may have left the pieces. On PostgreSQL neither has anything to do.
 */
export class SearchIndexUpkeep {
  private readonly options: UpkeepOptions;
  private seen: number;
  /** Whether the index may be in many pieces: at start (unknown), and after every write. */
  private mayNeedMerge = true;
  private quietSince: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    options: Partial<UpkeepOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
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
    if (!this.mayNeedMerge || this.options.now() - this.quietSince < this.options.quietMs) return;
    if (!this.options.merge) {
      this.mayNeedMerge = await searchIndexCompactionStep(this.db);
      return;
    }
    // Steps in the worker leave this thread free: go on while writes stay paused (indexing what comes in between, as
    // the ticks skipped meanwhile would have).
    for (;;) {
      this.mayNeedMerge = await searchIndexCompactionStep(this.db, this.options.merge);
      if (!this.mayNeedMerge) return;
      await catchUpSearchIndex(this.db);
      if (this.sawNewRows()) return;
    }
  }

  /** Whether rows were indexed since the last look (by this timer, searches or bulk loads); restarts the quiet time. */
  private sawNewRows(): boolean {
    const indexed = searchIndexRowsIndexed(this.db);
    if (indexed === this.seen) return false;
    this.seen = indexed;
    this.mayNeedMerge = true;
    this.quietSince = this.options.now();
    return true;
  }
}
