import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { sqliteDialect } from '../../src/store/sqlite-driver.ts';
import { cachingSqlite } from '../../src/store/statement-cache.ts';
import type { WriteTurns } from '../../src/store/write-turns.ts';

export interface ItemTables {
  items: { id: number; parent: number | null };
}

/**
 * A scratch SQLite file (WAL) with an `items` table, for the driver's own tests (sqlite-driver.ts): Kysely over the
 * store's driver, how often it ran `begin immediate` and `commit`, and what another connection sees committed.
 */
export function scratchSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'personsd-driver-'));
  const file = join(dir, 'test.db');
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.exec('create table items (id integer primary key, parent integer references items (id) deferrable initially deferred)');
  const ran = { begins: 0, commits: 0 };
  const counted: Record<string, keyof typeof ran> = { 'begin immediate': 'begins', commit: 'commits' };

  return {
    raw,
    ran,
    open(options: { turns?: WriteTurns } = {}): Kysely<ItemTables> {
      const cached = cachingSqlite(raw);
      const counting = {
        close: () => cached.close(),
        prepare: (text: string) => {
          const statement = cached.prepare(text);
          const counter = counted[text];
          if (counter === undefined) return statement;
          return { ...statement, reader: false, run: (parameters: readonly unknown[]) => (ran[counter]++, statement.run(parameters)) };
        },
      };
      return new Kysely<ItemTables>({ dialect: sqliteDialect(counting, raw, options).dialect });
    },
    /** What another connection sees: committed rows only. */
    committedIds(): number[] {
      const other = new SqliteDatabase(file, { readonly: true });
      try {
        return other.prepare('select id from items order by id').pluck().all() as number[];
      } finally {
        other.close();
      }
    },
    /** Another connection to the same file, for a writer outside the driver. */
    otherConnection: () => new SqliteDatabase(file),
    close(): void {
      raw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const insertItem = (db: Kysely<ItemTables>, id: number, parent: number | null = null) =>
  db.transaction().execute((trx) => trx.insertInto('items').values({ id, parent }).execute());
