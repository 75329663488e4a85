import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db.js';
import * as initial from './migrations/001-initial.js';
import * as personFields from './migrations/002-person-fields.js';
import * as search from './migrations/003-search.js';
import * as webhooks from './migrations/004-webhooks.js';
import * as relationships from './migrations/005-relationships.js';
import * as access from './migrations/006-access.js';
import * as identity from './migrations/007-identity.js';

type DialectMigration = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };

// In code rather than read from a folder, so migrations work the same from sources, a build or a bundle.
// Names are numbered; unordered application is allowed so branches developed side by side can land in any order.
const migrations: Record<string, DialectMigration> = {
  '001-initial': initial,
  '002-person-fields': personFields,
  '003-search': search,
  '004-webhooks': webhooks,
  '005-relationships': relationships,
  '006-access': access,
  '007-identity': identity,
};

/** Brings the schema up to date. Safe to call from several processes at once: Kysely takes a lock. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      const bound: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) bound[name] = { up: (trx) => migration.up(trx, dialect) };
      return bound;
    },
  };
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
