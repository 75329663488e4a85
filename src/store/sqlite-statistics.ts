import type BetterSqlite3 from 'better-sqlite3';

/**
 * SQLite's planner statistics (`sqlite_stat1`), kept the way SQLite recommends for a long-lived connection: `PRAGMA
 * optimize` with 0x10002, which looks at every table and analyses only those with an index never analysed or whose
 * size changed about 25-fold since, each from a bounded sample. Without statistics the planner takes every index for
 * equally selective: a saved filter on an owner and a date range read a company's persons through the date index
 * and sorted them all, 35 first pages a second at 100,000 persons against 1,000 with statistics (docs/benchmarks.md).
 * Statistics of nearly empty tables mislead a bulk load into them (seeding 100,000 persons ran 12% slower), which is
 * why an import refreshes them as the tables grow (refreshImportStatistics).
 */
export const SQLITE_OPTIMIZE = 'optimize=0x10002';

/** How often a running process brings the statistics up to date (a no-op unless a table grew or shrank a lot). */
export const SQLITE_OPTIMIZE_INTERVAL_MS = 60 * 60 * 1000;

export interface StatisticsUpkeep {
  stop(): void;
}

/**
 * Brings the statistics up to date now (cheap when they are: a look at each table's size; the first start on a
 * large database without any analyses it: 0.8 s at 200,000 persons) and then every interval, on the
 * connection that serves requests, when it is free (`exclusively`).
 */
export function keepSqliteStatistics(
  sqlite: BetterSqlite3.Database,
  exclusively: <T>(work: () => T) => Promise<T>,
  intervalMs = SQLITE_OPTIMIZE_INTERVAL_MS,
): StatisticsUpkeep {
  // Statistics are an optimisation: a failure (another process holding the file's write lock past the busy timeout,
  // a full disk) leaves the old ones, and the write that meets the same fault reports it.
  try {
    sqlite.pragma(SQLITE_OPTIMIZE);
  } catch {}
  const timer = setInterval(() => {
    exclusively(() => sqlite.pragma(SQLITE_OPTIMIZE)).catch(() => {});
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
