import { sql } from 'kysely';
import { sqliteSearchIndex } from '../search/sqlite-search-index.js';
import type { StoreDialect } from './dialect.js';

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  lockedForUpdate: (query) => query,
  lockedForShare: (query) => query,
  lockedExclusively: (query) => query,
  claimable: (query) => query,
  lockUntilCommit: async () => {},
  refreshesStatistics: false,
  togetherStatements: (writes) => writes.map((write) => sql`${write}`),
  placeholder: () => '?',
  searchIndex: sqliteSearchIndex,
};
