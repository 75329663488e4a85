import { sql } from 'kysely';
import { sqliteSearchIndex } from '../search/sqlite-search-index.js';
import { SQLITE_OPTIMIZE } from '../sqlite-statistics.js';
import type { StoreDialect } from './dialect.js';

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  lockedForUpdate: (query) => query,
  lockedForShare: (query) => query,
  lockedExclusively: (query) => query,
  claimable: (query) => query,
  lockUntilCommit: async () => {},
  async refreshStatistics(db) {
    await sql.raw(`pragma ${SQLITE_OPTIMIZE}`).execute(db);
  },
  togetherStatements: (writes) => writes.map((write) => sql`${write}`),
  placeholder: () => '?',
  searchIndex: sqliteSearchIndex,
};
