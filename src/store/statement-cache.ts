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

/** How many statements that may write this connection has run: one half of the SQLite store's change stamp. */
export interface WriteCounter {
  writes: number;
}

export function cachingSqlite(sqlite: BetterSqlite3.Database, counter: WriteCounter = { writes: 0 }): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = objectRows(sqlite.prepare(sql), counter);
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/*
 * better-sqlite3 builds each result row as an object property by property; fetching a row as an array and building
 * the object with a constructor generated for the statement's columns costs half as much (measured: 477 -> 230 µs
 * for a page of 101 persons, 8.5 -> 6 µs for one). Same objects, same property order; a repeated column name keeps
 * the last value, as better-sqlite3 does.
 */
function objectRows(statement: BetterSqlite3.Statement, counter: WriteCounter): SqliteStatement {
  if (!statement.reader) {
    if (statement.readonly) return statement as unknown as SqliteStatement;
    return {
      reader: false,
      all: (parameters) => statement.all(parameters),
      run(parameters) {
        counter.writes++;
        return statement.run(parameters);
      },
      iterate: (parameters) => statement.iterate(parameters),
    };
  }
  let width = 0;
  let toObject: (row: unknown[]) => unknown = () => undefined;
  const learnColumns = () => {
    const names = statement.columns().map((column) => column.name);
    width = names.length;
    toObject = new Function('r', `return {${names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ')}};`) as typeof toObject;
  };
  learnColumns();
  // SQLite re-prepares a statement by itself when another process changes the schema, so `select *` can come back
  // wider (a rolling deploy adding a column): the constructor is then made again for the new columns.
  const objects = (rows: unknown[][]) => {
    if (rows.length > 0 && rows[0].length !== width) learnColumns();
    return rows.map(toObject);
  };
  statement.raw(true);
  // INSERT / UPDATE / DELETE ... RETURNING are readers that write.
  const writes = !statement.readonly;
  return {
    reader: true,
    all(parameters) {
      if (writes) counter.writes++;
      return objects(statement.all(parameters) as unknown[][]);
    },
    run(parameters) {
      if (writes) counter.writes++;
      return statement.run(parameters);
    },
    *iterate(parameters) {
      if (writes) counter.writes++;
      for (const row of statement.iterate(parameters) as IterableIterator<unknown[]>) yield objects([row])[0];
    },
  };
}

/**
 * PostgreSQL: named statements are parsed and planned once per connection, then only bound and executed.
 *
 * A plan is only valid for the schema it was made with: once a migration (run by a newer release during a rolling
 * deploy) adds a column to a table read with `select *`, PostgreSQL refuses every later execution of the old
 * statement with "cached plan must not change result type". So the first such error drops every name (each SQL
 * text is prepared afresh, under a new name, on its next use) and the failed query is retried when it ran outside
 * a transaction. A query inside a transaction cannot be retried (the transaction is aborted); its request answers
 * 503 once (see unavailable.ts) and the next attempt succeeds.
 */
/**
 * Starts SQL text PostgreSQL should plan anew on every call, with the call's values: a named statement turns
 * generic after five calls, and a generic plan cannot tell a LIKE pattern that matches a handful of rows (read them
 * through the trigram index) from one that matches half the table (walk the ids in order and stop early).
 */
export const PLAN_PER_CALL = '/* plan per call */ ';

export function cachingPgPool(pool: pg.Pool): PostgresPool {
  let names = new Map<string, string>();
  let lastName = 0;
  const nameFor = (sql: string): string | undefined => {
    if (sql.startsWith(PLAN_PER_CALL)) return undefined;
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_CACHED_STATEMENTS) {
      name = `k${++lastName}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const run = (sql: string, values: unknown[] | undefined) => {
        const name = nameFor(sql);
        return client.query(name ? { name, text: sql, values } : { text: sql, values });
      };
      return {
        async query(sql: unknown, parameters?: unknown) {
          if (typeof sql !== 'string') return (client.query as (...args: unknown[]) => unknown)(sql, parameters);
          const outsideTransaction = client.getTransactionStatus() === 'I';
          try {
            return await run(sql, parameters as unknown[] | undefined);
          } catch (err) {
            if (!isStalePlan(err)) throw err;
            names = new Map();
            if (!outsideTransaction) throw err;
            return run(sql, parameters as unknown[] | undefined);
          }
        },
        release: () => client.release(),
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

export function isStalePlan(err: unknown): boolean {
  return (err as { code?: unknown })?.code === '0A000' && /cached plan must not change result type/.test((err as Error).message);
}
