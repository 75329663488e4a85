import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';

/**
 * Runs `analyze` (ANALYZE of the tables a rebuild just filled) on PostgreSQL, after the rebuild committed. Until
 * autovacuum gets to them, PostgreSQL plans with the statistics of the tables as they were, often empty, and
 * answers the first lookups with sequential scans. SQLite: nothing. Its planner without statistics assumes indexes
 * are selective, which is right for every query personsd runs, and personsd never writes statistics there
 * (`sqlite_stat1`), so none go stale; writing some for a few tables would change plans nobody measured.
 */
export async function refreshStatisticsAfterRebuild(db: Executor, analyze: (db: Executor) => Promise<void>): Promise<void> {
  if (dialectOf(db).refreshesStatistics) await analyze(db);
}
