import { CompiledQuery } from 'kysely';
import type { Executor } from './executor.js';

const texts = new Map<string, string>();
const MAX_TEXTS = 200;

/**
 * A parameterised multi-row INSERT whose SQL text is assembled once per shape and kept (the statement cache, or
 * PostgreSQL's named statements, then reuse the prepared statement): bulk loads (imports, seeding, index rebuilds)
 * write hundreds of thousands of rows, and the query builder's per-row work cost more than SQLite takes to store
 * them. `table`, `columns` and `suffix` are the caller's constants, never input; every value is a parameter.
 * `placeholder` is the dialect's (`StoreDialect.placeholder`), passed in: the search index backends that load with
 * this are themselves part of the dialects.
 */
export async function insertRows<R = Record<string, unknown>>(
  db: Executor,
  placeholder: (n: number) => string,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  suffix = '',
): Promise<R[]> {
  const key = `${placeholder(1)}|${table}|${columns.join(',')}|${rows.length}|${suffix}`;
  let text = texts.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = () => `(${columns.map(() => placeholder(++n)).join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${rows.map(tuple).join(', ')}${suffix}`;
    if (texts.size < MAX_TEXTS) texts.set(key, text);
  }
  return (await db.executeQuery<R>(CompiledQuery.raw(text, rows.flat()))).rows;
}
