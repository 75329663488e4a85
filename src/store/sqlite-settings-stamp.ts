import type BetterSqlite3 from 'better-sqlite3';
import type { WriteCounter } from './statement-cache.js';

/**
 * SQLite's settings stamp: the row migration 025's triggers rewrite on every change to credentials or a company's
 * write settings, by any connection. Read once per turn of the event loop (until the next check phase, where
 * `setImmediate` callbacks run), and again whenever this connection has written since: its own change counts at
 * once, and a person's create reads the row again (about 3 µs) and finds it unchanged. Undefined, "remember
 * nothing", until the migration has run.
 *
 * What the turn may miss: a change another process commits after the turn's first read, seen by a request read in
 * the same turn. Those requests' bytes were on their sockets when the turn's poll began (libuv reads the sockets
 * epoll reported ready, and a client that waits for a response before sending its next request cannot have sent
 * it), so they arrived before the change was committed, as a request in flight when a change commits may be
 * answered either way.
 */
export function sqliteSettingsStamp(sqlite: BetterSqlite3.Database, counter: WriteCounter): () => string | undefined {
  let statement: BetterSqlite3.Statement | undefined;
  let stamp: string | undefined;
  let readAtWrites = -1;
  let thisTurn = false;
  const read = (): string | undefined => {
    try {
      statement ??= sqlite.prepare('select hex(stamp) from settings_stamp where id = 1').pluck();
      return statement.get() as string | undefined;
    } catch {
      return undefined;
    }
  };
  return () => {
    if (!thisTurn || readAtWrites !== counter.writes) {
      stamp = read();
      readAtWrites = counter.writes;
      if (!thisTurn) {
        thisTurn = true;
        setImmediate(() => {
          thisTurn = false;
        });
      }
    }
    return stamp;
  };
}
