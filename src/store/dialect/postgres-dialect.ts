import { sql } from 'kysely';
import { postgresSearchIndex } from '../search/postgres-search-index.js';
import type { StoreDialect } from './dialect.js';
import { togetherOnPostgres } from './postgres-write-together.js';

export const postgresDialect: StoreDialect = {
  name: 'postgres',
  // FOR NO KEY UPDATE, the strength of an UPDATE that keeps the key: inserts referencing the row are not blocked, and
  // a row deleted by a concurrent writer is re-read once it commits, so it is not returned.
  lockedForUpdate: (query) => query.forNoKeyUpdate(),
  lockedForShare: (query) => query.forShare(),
  lockedExclusively: (query) => query.forUpdate(),
  claimable: (query) => query.forUpdate().skipLocked(),
  async lockUntilCommit(trx, key) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  },
  async refreshStatistics(_db, analyze) {
    await analyze();
  },
  togetherStatements: togetherOnPostgres,
  placeholder: (n) => `$${n}`,
  searchIndex: postgresSearchIndex,
};
