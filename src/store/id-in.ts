import { type Expression, type ExpressionBuilder, type QueryResult, type SqlBool, sql } from 'kysely';
import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';
import { type Query, precompiled } from './precompiled.js';

/**
 * `column in (…ids)`, or with `asArray` (PostgreSQL) `column = any($n::integer[])`: the ids as one value, so a
 * precompiled statement has one text for any number of them, and the database one plan.
 */
export function idIn(column: string, ids: readonly number[], asArray: boolean) {
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => (asArray ? sql<SqlBool>`${sql.ref(column)} = any(${ids}::integer[])` : eb(column, 'in', [...ids]));
}

/**
 * A statement over lists of ids, built once per shape: on PostgreSQL each of `lists` is one array parameter, so any
 * lengths make one text; on SQLite each is spread into an `in` list, a text per their lengths. `build` passes its
 * `asArray` on to `idIn` for every list.
 */
export function precompiledOverIds<P extends object, Row>(
  build: (db: Executor, params: P, asArray: boolean) => Query<Row>,
  lists: readonly (keyof P & string)[],
): (db: Executor, params: P) => Promise<QueryResult<Row>> {
  const byArrays = precompiled((db, params: P) => build(db, params, true));
  const byLists = precompiled((db, params: P) => build(db, params, false), {
    shape: (params) => lists.map((list) => (params[list] as unknown[]).length).join(','),
    spread: lists,
  });
  return (db, params) => (dialectOf(db).name === 'postgres' ? byArrays(db, params) : byLists(db, params));
}
