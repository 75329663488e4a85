import { rebuildIdentityKeysIfStale } from '../../domain/identity/identity-rebuild.js';
import { purgeDeleted } from '../../domain/purge.js';
import { invalidateSearchIndex, rebuildSearchIndexIfStale } from '../../domain/search/search-index.js';
import { migrateToLatest } from '../../store/migrate.js';
import type { Config } from '../config.js';
import { withStore } from './with-store.js';

/** `personsd migrate`: the schema, then the identity keys and the search index when their format changed. */
export function migrateCommand(config: Config): Promise<number> {
  return withStore(config, async (store) => {
    const applied = await migrateToLatest(store.db, store.dialect);
    console.error(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    if (await rebuildIdentityKeysIfStale(store.db, config.identity?.defaultRegion)) console.error('identity keys rebuilt');
    if (await rebuildSearchIndexIfStale(store.db)) console.error('search index brought up to date');
    return 0;
  }, { migrate: false });
}

/** `personsd purge`: removes persons, organizations, deals, notes and activities deleted more than 30 days ago. */
export function purgeCommand(config: Config): Promise<number> {
  return withStore(config, async (store) => {
    const purged = await purgeDeleted(store.db);
    console.error(`purged ${purged.persons} persons, ${purged.organizations} organizations, ${purged.deals} deals, ${purged.notes} notes and ${purged.activities} activities`);
    return 0;
  });
}

/** `personsd reindex`: rebuilds the search index from the records. */
export function reindexCommand(config: Config): Promise<number> {
  return withStore(config, async (store) => {
    const started = Date.now();
    await invalidateSearchIndex(store.db);
    await rebuildSearchIndexIfStale(store.db);
    console.error(`search index rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  });
}
