import type { Executor } from '../executor.js';
import type { IndexLookup, Lookup, SearchIndex } from './index-lookups.js';
import type { SearchDocRow, SearchEntity, SearchTiers } from './search-match.js';
import type { StoredText } from './search-rows.js';

/** FTS5's 'merge' command on a table: a positive page count continues a merge, a negative one begins one of all. */
export type MergeStep = (table: string, pages: number) => Promise<void>;

/** How far merges go: a few pieces a table (after a burst of writes), or one (once writes have long paused). */
export type MergeTarget = 'few' | 'one';

/**
 * How one database indexes the search rows beside them, and reads candidates out of that index: FTS5 tables on
 * SQLite (sqlite-search-index.ts), pg_trgm indexes and a terms table on PostgreSQL (postgres-search-index.ts).
 * The search rows themselves (`<entity>_search`) are the same on both and written by the search repository.
 */
export interface SearchIndexBackend {
  /**
   * Makes the row's search row hold `row.doc` (left untouched when it already does) and answers what it held
   * before, if it existed.
   */
  writeRow(db: Executor, entity: SearchEntity, companyId: number, row: SearchDocRow): Promise<StoredText | undefined>;
  /**
   * Indexes a row just created, which has no search row yet, in fewer steps than an edit: true when it did; false
   * when a search row was there after all (nothing written: the caller indexes it as an edit).
   */
  writeNew(db: Executor, entity: SearchEntity, companyId: number, row: SearchDocRow): Promise<boolean>;
  /** Indexes a row's new text; `before` is what the index held for it (and for which company), if anything. */
  replace(db: Executor, entity: SearchEntity, companyId: number, row: SearchDocRow, before: StoredText | undefined): Promise<void>;
  /**
   * Brings the index up to every write committed so far, before a search reads it: a backend that writes its entries
   * in batches (SQLite) takes what is queued; one that writes them with the row has nothing to do.
   */
  catchUp(db: Executor): Promise<void>;
  /** Rows this process has written into the index so far, by batches and bulk loads (merges may be due after many). */
  rowsIndexed(): number;
  /**
   * One bounded step of merging the pieces writes left the index in (through `merge` when given), until each table is
   * in few pieces or, with `until: 'one'`, in one; false when there is nothing to merge.
   */
  compactionStep(db: Executor, merge?: MergeStep, until?: MergeTarget): Promise<boolean>;
  /** Removes a deleted search row's entries. */
  remove(db: Executor, entity: SearchEntity, companyId: number, row: SearchDocRow): Promise<void>;
  /** Inserts search rows not indexed yet and their entries, in few statements (imports, seeding, rebuilds). */
  insertBulk(db: Executor, entity: SearchEntity, companyId: number, rows: SearchDocRow[]): Promise<void>;
  /**
   * Writes the terms of rows already indexed afresh, for an index format that adds terms to some rows (see
   * src/domain/search/search-index-upgrades.ts): their other entries stay as they are.
   */
  rewriteTerms(db: Executor, entity: SearchEntity, companyId: number, rows: SearchDocRow[]): Promise<void>;
  /** Candidates of several tiers answered by one index at once, when this backend reads them in one query. */
  runCandidates(db: Executor, entity: SearchEntity, index: SearchIndex, lookup: Lookup, companyId: number, limit: number): Promise<SearchDocRow[]> | undefined;
  /** The reads answering one tier's lookups; `read` memoises a read under a key made by `memoKey`. */
  tierReads(request: TierReadRequest): Array<Promise<SearchDocRow[]>>;
  /** Empties an entity's index (every company) before a rebuild. */
  clear(db: Executor, entity: SearchEntity): Promise<void>;
  /** Empties a company's entries of every entity (a company reset). */
  clearCompany(db: Executor, companyId: number): Promise<void>;
  /** Refreshes the planner's statistics of the search tables. */
  analyze(db: Executor): Promise<void>;
  /** Merges the pieces a bulk load or a rebuild left the index in, so lookups read each term's ids from one place. */
  compact(db: Executor): Promise<void>;
}

export interface TierReadRequest {
  db: Executor;
  search: SearchTiers;
  lookups: IndexLookup[];
  companyId: number;
  tierIndex: number;
  afterId: number;
  limit: number;
  read(index: SearchIndex, positive: Lookup, query: () => Promise<SearchDocRow[]>): Promise<SearchDocRow[]>;
}
