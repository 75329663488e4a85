import { sql } from 'kysely';
import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';
import { SQLITE_OPTIMIZE } from './sqlite-statistics.js';

/*
 * Planner statistics after a bulk change (an import, a rebuild of a derived index): until they are refreshed, the
 * planner plans with the statistics of the tables as they were, often empty, and answers the first lookups with
 * sequential scans. PostgreSQL: `analyze` of the tables filled, which autovacuum would do later. SQLite: `PRAGMA
 * optimize` (sqlite-statistics.ts), which analyses whichever tables changed enough; a running process also runs it
 * every hour.
 */

/** After a rebuild committed: `analyze` on PostgreSQL (the tables it filled), PRAGMA optimize on SQLite. */
export async function refreshStatisticsAfterRebuild(db: Executor, analyze: (db: Executor) => Promise<void>): Promise<void> {
  if (dialectOf(db).refreshesStatistics) await analyze(db);
  else await optimizeSqliteStatistics(db);
}

/**
 * Every table's statistics, as autovacuum's analyze keeps them on a PostgreSQL deployment (benchmarks run it where
 * autovacuum is off); SQLite: PRAGMA optimize, as the store already ran when it opened.
 */
export async function refreshAllStatistics(db: Executor): Promise<void> {
  if (dialectOf(db).refreshesStatistics) await sql`analyze`.execute(db);
  else await optimizeSqliteStatistics(db);
}

/** SQLite's upkeep of its statistics (sqlite-statistics.ts), on the caller's connection or transaction. */
export async function optimizeSqliteStatistics(db: Executor): Promise<void> {
  await sql.raw(`pragma ${SQLITE_OPTIMIZE}`).execute(db);
}
