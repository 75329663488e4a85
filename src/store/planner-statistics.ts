import { sql } from 'kysely';
import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';

/*
 * Planner statistics after a bulk change (an import, a rebuild of a derived index): until they are refreshed, the
 * planner plans with the statistics of the tables as they were, often empty, and answers the first lookups with
 * sequential scans. PostgreSQL: `analyze` of the tables filled, which autovacuum would do later. SQLite: `PRAGMA
 * optimize` (sqlite-statistics.ts), which analyses whichever tables changed enough; a running process also runs it
 * every hour. Each dialect's `refreshStatistics` says which.
 */

/** After a rebuild committed: `analyze` on PostgreSQL (the tables it filled), PRAGMA optimize on SQLite. */
export async function refreshStatisticsAfterRebuild(db: Executor, analyze: (db: Executor) => Promise<void>): Promise<void> {
  await dialectOf(db).refreshStatistics(db, () => analyze(db));
}

/**
 * Every table's statistics, as autovacuum's analyze keeps them on a PostgreSQL deployment (benchmarks run it where
 * autovacuum is off); SQLite: PRAGMA optimize, as the store already ran when it opened.
 */
export async function refreshAllStatistics(db: Executor): Promise<void> {
  await dialectOf(db).refreshStatistics(db, () => sql`analyze`.execute(db));
}
