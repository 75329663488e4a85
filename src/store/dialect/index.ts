import { PostgresAdapter } from 'kysely';
import type { Executor } from '../executor.js';
import type { StoreDialect } from './dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import { sqliteDialect } from './sqlite-dialect.js';

export type { StoreDialect, TogetherWrite } from './dialect.js';

/** The dialect of the database an executor (a Kysely instance or a transaction) talks to: the one place that asks. */
export function dialectOf(db: Executor): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresDialect : sqliteDialect;
}
