import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { TogetherWrite } from './dialect.js';

/**
 * PostgreSQL's `writeTogether` (dialect.ts): several writes as data-modifying CTEs of one statement, one round trip.
 * Its own module, so the search index backend can use it without importing the dialect that imports the backend.
 */
export async function writeTogetherOnPostgres(db: Executor, writes: readonly (TogetherWrite | undefined)[]): Promise<void> {
  const present = writes.filter((w): w is TogetherWrite => w !== undefined);
  if (present.length === 0) return;
  if (present.length === 1) return void (await sql`${present[0]}`.execute(db));
  const parts = present.map((write, i) => sql`${sql.raw(`w${i}`)} as (${write})`);
  await sql`with ${sql.join(parts)} select 1`.execute(db);
}
