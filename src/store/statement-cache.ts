import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement, PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/*
 * Kysely prepares a fresh statement for every query it runs. Preparing costs more than executing a point read
 * (measured: 177 µs of CPU per request instead of 80 on SQLite), so both adapters below reuse prepared statements
 * keyed by SQL text. Queries with a varying number of parameters (IN lists) produce many texts; the caches are
 * bounded so such queries cannot grow memory without limit.
 */

const MAX_CACHED_STATEMENTS = 2000;

export function cachingSqlite(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/** PostgreSQL: named statements are parsed and planned once per connection, then only bound and executed. */
export function cachingPgPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameFor = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_CACHED_STATEMENTS) {
      name = `k${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query(sql: unknown, parameters?: unknown) {
          if (typeof sql !== 'string') return (client.query as (...args: unknown[]) => unknown)(sql, parameters);
          const name = nameFor(sql);
          return client.query(name ? { name, text: sql, values: parameters as unknown[] } : { text: sql, values: parameters as unknown[] });
        },
        release: () => client.release(),
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
