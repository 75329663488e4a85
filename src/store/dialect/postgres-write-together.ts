import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { TogetherWrite } from './dialect.js';

/**
 * PostgreSQL's `togetherStatements` (dialect.ts): several writes as data-modifying CTEs of one statement, one round
 * trip. Its own module, so the search index backend can use it without importing the dialect that imports the backend.
 */
export function togetherOnPostgres(writes: readonly (TogetherWrite | undefined)[]): RawBuilder<unknown>[] {
  const present = writes.filter((w): w is TogetherWrite => w !== undefined);
  if (present.length <= 1) return present.map((write) => sql`${write}`);
  const parts = present.map((write, i) => sql`${sql.raw(`w${i}`)} as (${write})`);
  return [sql`with ${sql.join(parts)} select 1`];
}

export async function writeTogetherOnPostgres(db: Executor, writes: readonly (TogetherWrite | undefined)[]): Promise<void> {
  for (const statement of togetherOnPostgres(writes)) await statement.execute(db);
}
