import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';

/**
 * `column in (…ids)`, or with `asArray` (PostgreSQL) `column = any($n::integer[])`: the ids as one value, so a
 * precompiled statement has one text for any number of them, and the database one plan.
 */
export function idIn(column: string, ids: readonly number[], asArray: boolean) {
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => (asArray ? sql<SqlBool>`${sql.ref(column)} = any(${ids}::integer[])` : eb(column, 'in', [...ids]));
}
