import type { Kysely } from 'kysely';
import { catchUpSearchIndex, searchIndexCompactionStep, searchIndexRowsIndexed } from '../../store/repositories/search.repository.js';
import type { Database } from '../../store/schema.js';

export interface UpkeepOptions {
  /** How long no row may have been indexed before merging starts. */
  quietMs: number;
  now: () => number;
}

const DEFAULTS: UpkeepOptions = { quietMs: 5000, now: () => Date.now() };

/**
 * What a serving process's timer does for the search index on each tick: index the writes queued for it (SQLite;
 * see ../../store/search/sqlite-backlog.ts), and once writes have paused, merge a table writes left in many
 * pieces, one bounded step a tick, until none is or writes resume (../../store/search/sqlite-compaction.ts). Also
 * after a start: a bulk load or another process may have left the pieces. On PostgreSQL neither has anything to do.
 */
export class SearchIndexUpkeep {
  private readonly options: UpkeepOptions;
  private seen: number;
  /** Whether the index may be in many pieces: at start (unknown), and after every write. */
  private mayNeedMerge = true;
  private quietSince: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: Partial<UpkeepOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.seen = searchIndexRowsIndexed(db);
    this.quietSince = this.options.now();
  }

  async tick(): Promise<void> {
    await catchUpSearchIndex(this.db);
    // Rows indexed by this timer, by searches and by bulk loads alike.
    const indexed = searchIndexRowsIndexed(this.db);
    if (indexed !== this.seen) {
      this.seen = indexed;
      this.mayNeedMerge = true;
      this.quietSince = this.options.now();
      return;
    }
    if (!this.mayNeedMerge || this.options.now() - this.quietSince < this.options.quietMs) return;
    this.mayNeedMerge = await searchIndexCompactionStep(this.db);
  }
}
