import type { OperationNodeSource, RawBuilder, SelectQueryBuilder } from 'kysely';
import type { Executor } from '../executor.js';
import type { SearchIndexBackend } from '../search/search-index-backend.js';

/**
 * What SQLite and PostgreSQL do differently for personsd, in one place. Repositories ask `dialectOf(db)` and never
 * test which database they run on themselves. SQLite's write transactions begin IMMEDIATE and exclude every other
 * writer (see db.ts), so its row locks, advisory locks and SKIP LOCKED are no-ops; PostgreSQL needs each.
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** A read-modify-write's read: locks the rows until the transaction ends without blocking inserts that reference them. */
  lockedForUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** A read of a row about to be referenced: shared with other referencing writes, exclusive with a delete of it. */
  lockedForShare<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** A plain exclusive lock on the rows read (counting, then adding, under one lock). */
  lockedExclusively<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** Rows several processes claim at once: each takes rows the others have not locked. */
  claimable<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** Holds a named lock until the transaction ends (one rebuild across processes at a time). */
  lockUntilCommit(trx: Executor, key: number): Promise<void>;
  /**
   * Refreshes the planner's statistics after a bulk change: PostgreSQL runs `analyze`, the caller's `analyze` of the
   * tables it filled; SQLite its own upkeep, PRAGMA optimize (sqlite-statistics.ts), whatever the tables.
   */
  refreshStatistics(db: Executor, analyze: () => Promise<unknown>): Promise<void>;
  /**
   * Writes that do not depend on one another's effects, as the statements to run one after another in as few round
   * trips as the database allows: PostgreSQL, one statement of data-modifying CTEs (each sees the rows as they were
   * before the statement, so a delete and an insert must touch different rows); SQLite, in process anyway, each
   * write as it is. Compiled once with precompiledWrites.
   */
  togetherStatements(writes: readonly TogetherWrite[]): RawBuilder<unknown>[];
  /** The placeholder of the n-th (1-based) parameter in hand-assembled SQL. */
  placeholder(n: number): string;
  /** How the search rows are indexed and searched: FTS5 tables (SQLite), pg_trgm and a terms table (PostgreSQL). */
  readonly searchIndex: SearchIndexBackend;
}

/** A write statement, built by Kysely or written with `sql` (an insert, update or delete without RETURNING). */
export type TogetherWrite = OperationNodeSource;
