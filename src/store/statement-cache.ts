import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/*
 * Kysely prepares a fresh statement for every query it runs. Preparing costs more than executing a point read
 * (measured: 177 µs of CPU per request instead of 80 on SQLite), so the adapter below reuses prepared statements
 * keyed by SQL text (postgres-client.ts names statements on PostgreSQL). Queries with a varying number of parameters
 * (IN lists) produce many texts; the caches are bounded so such queries cannot grow memory without limit.
 */

export const MAX_CACHED_STATEMENTS = 2000;

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
