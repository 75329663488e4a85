import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { MAX_CACHED_STATEMENTS } from './statement-cache.js';

/**
 * Starts SQL text PostgreSQL should plan anew on every call, with the call's values: a named statement turns
 * generic after five calls, and a generic plan cannot tell a LIKE pattern that matches a handful of rows (read them
 * through the trigram index) from one that matches half the table (walk the ids in order and stop early).
 */
export const PLAN_PER_CALL = '/* plan per call */ ';

/** What Kysely reads of a statement's result; BEGIN's is answered before the server's arrives. */
const BEGUN = { command: 'BEGIN', rowCount: null, rows: [] };

/**
 * The pool's clients as Kysely uses them, in two ways cheaper than plain `pg`:
 *
 * - **Named statements**: each SQL text is parsed and planned once per connection, then only bound and executed.
 *   A plan is only valid for the schema it was made with: once a migration (run by a newer release during a rolling
 *   deploy) adds a column to a table read with `select *`, PostgreSQL refuses every later execution of the old
 *   statement with "cached plan must not change result type". So the first such error drops every name (each SQL
 *   text is prepared afresh, under a new name, on its next use) and the failed query is retried when it ran outside
 *   a transaction. A query inside a transaction cannot be retried (the transaction is aborted); its request answers
 *   503 once (see unavailable.ts) and the next attempt succeeds.
 * - **BEGIN travels with the transaction's first statement**: the clients are pipelined (`pipeline: true`, see
 *   db.ts), so BEGIN is sent and answered at once, and the first statement goes out behind it without waiting a
 *   round trip for BEGIN's answer. That answer is awaited with the statement's: a failed BEGIN fails the statement.
 *   A transaction of a read and a write then costs three round trips instead of four.
 */
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
      // Kept here: the connection's own status lags while BEGIN's answer is on its way.
      let inTransaction = false;
      let begin: Promise<unknown> | undefined;
      const attempt = async (sql: string, values: unknown[] | undefined, retriable: boolean) => {
        try {
          return await run(sql, values);
        } catch (err) {
          if (!isStalePlan(err)) throw err;
          names = new Map();
          if (!retriable) throw err;
          return run(sql, values);
        }
      };
      return {
        async query(sql: unknown, parameters?: unknown) {
          if (typeof sql !== 'string') return (client.query as (...args: unknown[]) => unknown)(sql, parameters);
          if (sql === 'begin') {
            inTransaction = true;
            begin = run(sql, undefined);
            // Awaited with the next statement; until then a rejection is not unhandled.
            begin.catch(() => {});
            return BEGUN;
          }
          const retriable = !inTransaction;
          if (sql.startsWith('start transaction')) inTransaction = true;
          else if (sql === 'commit' || sql === 'rollback') inTransaction = false;
          const sentBegin = begin;
          begin = undefined;
          const result = attempt(sql, parameters as unknown[] | undefined, retriable);
          if (sentBegin === undefined) return result;
          return (await Promise.all([sentBegin, result]))[1];
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
