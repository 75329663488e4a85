import type { SelectQueryBuilder } from 'kysely';
import { dialectOf } from './dialect/index.js';
import type { Executor } from './executor.js';

/**
 * Makes a read inside a write transaction lock the rows it returns until the transaction ends, so a
 * read-modify-write cannot interleave with another one on the same row (which would lose one of the two updates,
 * or leave person_contacts describing the other write's lists).
 * PostgreSQL: SELECT … FOR NO KEY UPDATE (the strength an UPDATE that keeps the key takes, so inserts referencing
 * the row through a foreign key are not blocked); it re-reads the row once a concurrent writer commits, so a row
 * deleted meanwhile is not returned. SQLite: nothing to add, because every transaction begins IMMEDIATE (see db.ts) and
 * holds the database's only write lock from its first statement on.
 */
export function lockedForUpdate<DB, TB extends keyof DB, O>(db: Executor, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db).lockedForUpdate(query);
}

/**
 * Makes a read of a row the transaction is about to reference (a person's organization) hold it until the end:
 * PostgreSQL's FOR SHARE, which concurrent referencing writes share but a concurrent FOR NO KEY UPDATE (a delete
 * of that row) waits for, and which makes this read wait for such a delete and then see it. SQLite: nothing (see
 * lockedForUpdate).
 */
export function lockedForShare<DB, TB extends keyof DB, O>(db: Executor, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db).lockedForShare(query);
}

