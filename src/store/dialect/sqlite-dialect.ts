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
  async analyzeAll(db) {
    // SQLite would read every row of every index; a sample of each is all its planner needs.
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`analyze`.execute(db);
  },
  togetherStatements: (writes) => writes.map((write) => sql`${write}`),
  placeholder: () => '?',
  searchIndex: sqliteSearchIndex,
};
