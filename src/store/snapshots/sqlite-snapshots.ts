import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { type Snapshots, isMigrationTable } from './snapshots.js';

/**
 * SQLite snapshots are database files written by `VACUUM INTO` (a consistent copy, milliseconds for thousands of
 * persons). A restore attaches the file and copies every table back in one transaction. The search index's FTS5
 * tables are contentless: their state is only in their shadow tables, which are copied raw; each FTS5 table is
 * dropped and created again first, because a live FTS5 table keeps its index structure cached and would read the
 * copied pages as corruption. Both run through `exclusively`: on the connection requests are served from, holding it
 * so no request's transaction interleaves, with every accepted write committed first.
 */
export function sqliteSnapshots(sqlite: BetterSqlite3.Database, exclusively: <T>(work: () => T) => Promise<T>): Snapshots {
  let dir: string | undefined;
  const file = (name: string) => {
    dir ??= mkdtempSync(join(tmpdir(), 'personsd-snapshots-'));
    return join(dir, `${name}.db`);
  };

  return {
    async take(name) {
      const target = file(name);
      rmSync(target, { force: true });
      await exclusively(() => sqlite.prepare('vacuum into ?').run(target));
    },
    async restore(name) {
      const source = file(name);
      if (!existsSync(source)) return false;
      await exclusively(() => restoreFrom(sqlite, source));
      return true;
    },
    async list() {
      return dir && existsSync(dir) ? readdirSync(dir).map((entry) => entry.replace(/\.db$/, '')).sort() : [];
    },
    async remove(name) {
      const target = file(name);
      if (!existsSync(target)) return false;
      rmSync(target);
      return true;
    },
    async dispose() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function restoreFrom(sqlite: BetterSqlite3.Database, source: string): void {
  sqlite.prepare("attach database ? as snapshot").run(source);
  // Shadow tables refuse writes in SQLite's defensive mode, which better-sqlite3 turns on.
  sqlite.unsafeMode(true);
  try {
    const virtual = sqlite.prepare("select name, sql from main.sqlite_schema where type = 'table' and sql like 'CREATE VIRTUAL TABLE%'").all() as { name: string; sql: string }[];
    const tables = (sqlite.prepare("select name from snapshot.sqlite_schema where type = 'table' and sql not like 'CREATE VIRTUAL TABLE%'").pluck().all() as string[])
      .filter((name) => !isMigrationTable(name) && (!name.startsWith('sqlite_') || name === 'sqlite_sequence'));
    sqlite.transaction(() => {
      // Rows go back in any order; their references are checked once, at commit.
      sqlite.pragma('defer_foreign_keys = on');
      for (const { name, sql } of virtual) {
        sqlite.exec(`drop table main."${name}"`);
        sqlite.exec(sql);
      }
      for (const table of tables) {
        const columns = (sqlite.prepare(`select name from pragma_table_info(?, 'main')`).pluck().all(table) as string[]).map((c) => `"${c}"`).join(', ');
        sqlite.exec(`delete from main."${table}"`);
        sqlite.exec(`insert into main."${table}" (${columns}) select ${columns} from snapshot."${table}"`);
      }
      // A new settings stamp (migration 025), not the snapshot's: what processes remember is re-read after a restore.
      sqlite.exec('update settings_stamp set stamp = randomblob(8)');
    }).immediate();
  } finally {
    sqlite.unsafeMode(false);
    sqlite.exec('detach database snapshot');
  }
}
