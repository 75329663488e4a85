import cluster from 'node:cluster';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type PG from 'pg';
import type { DatabaseConfig, PostgresSettings } from './database-settings.js';
import type { Database } from './schema.js';
import { SettingsSignal } from './settings-signal.js';
import { postgresSnapshots } from './snapshots/postgres-snapshots.js';
import type { Snapshots } from './snapshots/snapshots.js';
import { sqliteSnapshots } from './snapshots/sqlite-snapshots.js';
import type { MergeStep } from './search/search-index-backend.js';
import { ftsMerger } from './search/sqlite-merger.js';
import { sqliteSettingsStamp } from './sqlite-settings-stamp.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { sqliteDialect } from './sqlite-driver.js';
import { keepSqliteStatistics } from './sqlite-statistics.js';
import { cachingPgPool } from './postgres-client.js';
import { type WriteCounter, cachingSqlite } from './statement-cache.js';
import { writeTurnsFromPrimary } from './write-turns.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Answers whether the database can be reached right now. */
  ping(): Promise<boolean>;
  /**
   * A value that changes whenever the credentials (API tokens, users) or a company's write settings (identity
   * settings, person fields, webhooks added) may have changed, by this process or any other; what is remembered of
   * them is valid while it stays the same, and undefined means "remember nothing now". SQLite: a row that triggers
   * rewrite (sqlite-settings-stamp.ts). PostgreSQL: notifications from triggers, behind a round trip
   * that makes every change committed before the call count (settings-signal.ts), or with `since` (a
   * `performance.now()` reading) every change committed before that moment, which a round trip already made answers.
   */
  settingsStamp: (since?: number) => string | undefined | Promise<string | undefined>;
  /** Named copies of the whole database, for the admin API's snapshots. */
  snapshots: Snapshots;
  /** SQLite in a file: runs a search index merge step in a worker thread (search/sqlite-merger.ts). */
  mergeSearchIndex?: MergeStep;
  /** What the metrics show of the connections: PostgreSQL's pool, SQLite's write-ahead log. */
  stats(): StoreStats;
  close(): Promise<void>;
}

export interface StoreStats {
  /** PostgreSQL: connections open, idle, and queries waiting for one. */
  pool?: { total: number; idle: number; waiting: number };
  /** SQLite (one connection, no pool): the write-ahead log's size, which grows when checkpoints fall behind. */
  walBytes?: number;
  /** SQLite: seconds this process's worker thread has spent merging the search index's pieces. */
  searchMergeSeconds?: number;
}

/** The PostgreSQL driver, loaded only by a PostgreSQL store (about 45 ms of every SQLite start otherwise). */
function postgresDriver(): typeof PG {
  const pg = createRequire(import.meta.url)('pg') as typeof PG;
  // pg returns int8 (count(*), sums) and numeric as strings by default; every such value here fits a JS number.
  pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
  pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));
  return pg;
}

export function openStore(config: DatabaseConfig): Store {
  if (config.dialect === 'postgres') return openPostgres(config.url, config);
  return openSqlite(config.path);
}

/** How long a SQLite write waits for the file's write lock (or, in a worker, for its turn) before it fails as busy. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL, not FULL: a commit is written to the WAL file before the response goes out, so an accepted write
  // survives a crash of the process; the disk sync happens at the next checkpoint (at most about a second later,
  // see sqlite-checkpointer.ts), so a power loss or kernel crash can lose the last second of writes, never the
  // database's integrity. FULL syncs on every commit, on the thread that serves requests: measured, it halves
  // create throughput (docs/benchmarks.md).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // Checkpoints run in a worker thread; SQLite's own (on the committing thread) only if that falls far behind.
  sqlite.pragma('wal_autocheckpoint = 10000');
  // A group commit gives each member write a savepoint (sqlite-driver.ts), whose journal of the pages it changed
  // goes to a temporary file beyond 64 KiB: at 1,000,000 persons about 75 writes to such files a PATCH. In memory,
  // creates went 30% faster (docs/benchmarks.md). What it holds is bounded by what one transaction changes.
  sqlite.pragma('temp_store = MEMORY');
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(path);
  const merger = path === ':memory:' ? undefined : ftsMerger(path);
  const counter: WriteCounter = { writes: 0 };
  // A worker of `serve --workers N` writes in the turns its primary hands out (write-turns.ts), so its writes can be
  // grouped as a lone process's are: a sibling waits for its turn without blocking its event loop.
  const turns = cluster.isWorker && process.send !== undefined ? writeTurnsFromPrimary(SQLITE_BUSY_TIMEOUT_MS) : undefined;
  const { dialect, driver } = sqliteDialect(cachingSqlite(sqlite, counter), sqlite, { turns });
  const db = new Kysely<Database>({ dialect });
  const snapshots = sqliteSnapshots(sqlite, (work) => driver.exclusively(work));
  const statistics = keepSqliteStatistics(sqlite, (work) => driver.exclusively(work));
  return {
    db,
    dialect: 'sqlite',
    snapshots,
    settingsStamp: sqliteSettingsStamp(sqlite, counter),
    mergeSearchIndex: merger?.merge,
    stats: () => ({ walBytes: path === ':memory:' ? 0 : fileSize(`${path}-wal`), searchMergeSeconds: merger?.secondsMerging() ?? 0 }),
    async ping() {
      try {
        sqlite.prepare('select 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      statistics.stop();
      await merger?.stop();
      await checkpointer?.stop();
      await snapshots.dispose();
      await db.destroy();
    },
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function openPostgres(url: string, settings: PostgresSettings): Store {
  const pg = postgresDriver();
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.poolSize,
    // Without it a request waits forever for a connection to a database that does not answer.
    connectionTimeoutMillis: settings.connectTimeoutMs,
    ...(settings.statementTimeoutMs > 0 && { statement_timeout: settings.statementTimeoutMs }),
    // JIT compilation starts on the planner's cost estimate, which for a search read under a LIMIT (a LIKE over a
    // large company's rows, a union of several tiers' term lookups) passes `jit_above_cost` while the read stops
    // after a few pages: tens of milliseconds compiling a query that runs in one or two. No query personsd makes
    // runs long enough to repay compiling it.
    options: '-c jit=off',
    // A transaction's BEGIN goes out with its first statement (postgres-client.ts).
    pipeline: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: cachingPgPool(pool) }) });
  const listenUrl = settings.listenUrl ?? url;
  const signal = listenUrl === false ? undefined : new SettingsSignal(() => new pg.Client({ connectionString: listenUrl, connectionTimeoutMillis: settings.connectTimeoutMs }));
  return {
    db,
    dialect: 'postgres',
    settingsStamp: (since) => signal?.stamp(since),
    snapshots: postgresSnapshots(db),
    stats: () => ({ pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } }),
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await signal?.close();
      await db.destroy();
    },
  };
}
