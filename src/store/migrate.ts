import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db.js';
import * as initial from './migrations/001-initial.js';
import * as personFields from './migrations/002-person-fields.js';
import * as search from './migrations/003-search.js';
import * as webhooks from './migrations/004-webhooks.js';
import * as relationships from './migrations/005-relationships.js';
import * as access from './migrations/006-access.js';
import * as identity from './migrations/007-identity.js';
import * as itemSearch from './migrations/009-item-search.js';
import * as gaps from './migrations/010-gaps.js';
import * as dealLinks from './migrations/011-deal-links.js';
import * as postgresSearchTerms from './migrations/012-postgres-search-terms.js';
import * as changeUserAgent from './migrations/013-change-user-agent.js';
import * as notes from './migrations/014-notes.js';
import * as activities from './migrations/015-activities.js';
import * as pipelines from './migrations/016-pipelines.js';
import * as entityFields from './migrations/017-entity-fields.js';
import * as filters from './migrations/018-filters.js';
import * as consoleAuth from './migrations/019-console-auth.js';
import * as credentialSignal from './migrations/021-credential-signal.js';
import * as recordChanges from './migrations/022-record-changes.js';
import * as searchBacklog from './migrations/023-search-backlog.js';
import * as settingsSignal from './migrations/024-settings-signal.js';
import * as sqliteSettingsStamp from './migrations/025-sqlite-settings-stamp.js';
import * as phoneStatistics from './migrations/026-phone-statistics.js';
import * as personDocs from './migrations/027-person-docs.js';
import * as ftsUsermerge from './migrations/028-fts-usermerge.js';
import * as sqliteLivePersonsIndex from './migrations/029-sqlite-live-persons-index.js';
import * as sqlitePersonDocsByCompany from './migrations/030-sqlite-person-docs-by-company.js';
import * as fieldOptionsSignal from './migrations/031-field-options-signal.js';
import * as postgresPersonDocsByCompany from './migrations/032-postgres-person-docs-by-company.js';

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
  '009-item-search': itemSearch,
  '010-gaps': gaps,
  '011-deal-links': dealLinks,
  '012-postgres-search-terms': postgresSearchTerms,
  '013-change-user-agent': changeUserAgent,
  '014-notes': notes,
  '015-activities': activities,
  '016-pipelines': pipelines,
  '017-entity-fields': entityFields,
  '018-filters': filters,
  '019-console-auth': consoleAuth,
  '021-credential-signal': credentialSignal,
  '022-record-changes': recordChanges,
  '023-search-backlog': searchBacklog,
  '024-settings-signal': settingsSignal,
  '025-sqlite-settings-stamp': sqliteSettingsStamp,
  '026-phone-statistics': phoneStatistics,
  '027-person-docs': personDocs,
  '028-fts-usermerge': ftsUsermerge,
  '029-sqlite-live-persons-index': sqliteLivePersonsIndex,
  '030-sqlite-person-docs-by-company': sqlitePersonDocsByCompany,
  '031-field-options-signal': fieldOptionsSignal,
  '032-postgres-person-docs-by-company': postgresPersonDocsByCompany,
};

/** Brings the schema up to date. Safe to call from several processes at once (see lockedForMigration). */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  return dialect === 'sqlite' ? lockedForMigration(db, (locked) => runMigrations(locked, dialect)) : runMigrations(db, dialect);
}

/**
 * Kysely serialises migrations on PostgreSQL with an advisory lock but takes no lock on SQLite, where two
 * processes starting at once on a new file would both create the tables. There the whole run goes into one
 * IMMEDIATE transaction: the second process waits for the first, then finds nothing left to do; and a failed
 * run leaves no half-applied migration behind.
 */
async function lockedForMigration<T>(db: Kysely<any>, run: (locked: Kysely<any>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await run(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (err) {
      await sql`rollback`.execute(connection);
      throw err;
    }
  });
}

async function runMigrations(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await migrator(db, dialect).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this version knows that the database has not recorded as applied (empty: the schema is current). */
export async function pendingMigrations(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const known = await migrator(db, dialect).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

function migrator(db: Kysely<any>, dialect: Dialect): Migrator {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      const bound: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) bound[name] = { up: (trx) => migration.up(trx, dialect) };
      return bound;
    },
  };
  return new Migrator({ db, provider, allowUnorderedMigrations: true });
}
