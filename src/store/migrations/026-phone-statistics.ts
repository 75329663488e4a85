import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * PostgreSQL estimates how many rows a `LIKE '%4155%'` matches from a sample of the column's values: 100 by
 * default, where one hit reads as 1% of the rows. Typed digits of a phone number are rare (0.2% of 100,000 seeded
 * persons hold `4155`), so a single lucky hit made the planner read the search table in id order for a page of
 * 100, 55,000 rows and 30-56 ms, instead of the phone's trigram index, 1 ms. A sample of 1,000 values on the phone
 * column estimates such fragments within a few rows of the truth for about 0.2 ms more planning per search query;
 * on every column it would cost 1.1 ms a query, and names and emails repeat enough for the default sample.
 * SQLite's trigram tables need no statistics.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`alter table person_search alter column phone set statistics 1000`.execute(db);
}
