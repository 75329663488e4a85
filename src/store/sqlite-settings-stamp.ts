import type BetterSqlite3 from 'better-sqlite3';
import { oncePerTurn } from './once-per-turn.js';
import type { WriteCounter } from './statement-cache.js';

/**
 * SQLite's settings stamp: the row migration 025's triggers rewrite on every change to credentials or a company's
 * write settings, by any connection. Read once per turn of the event loop, and again whenever this connection has
 * written since: its own change counts at once, and a person's create reads the row again (about 3 µs) and finds it
 * unchanged. Undefined, "remember nothing", until the migration has run.
 */
export function sqliteSettingsStamp(sqlite: BetterSqlite3.Database, counter: WriteCounter): () => string | undefined {
  let statement: BetterSqlite3.Statement | undefined;
  const read = (): string | undefined => {
    try {
      statement ??= sqlite.prepare('select hex(stamp) from settings_stamp where id = 1').pluck();
      return statement.get() as string | undefined;
    } catch {
      return undefined;
    }
  };
  return oncePerTurn(read, () => counter.writes);
}
