import { DomainError } from '../../domain/errors.js';
import { type Store, openStore } from '../../store/db.js';
import { migrateToLatest } from '../../store/migrate.js';
import { type Config, ConfigError } from '../config.js';

/**
 * Opens the store for one command and closes it after. Commands run without the API's statement timeout (a
 * migration or an import may rightly take long) and on an up-to-date schema (unless the command migrates itself); a domain refusal (unknown user,
 * bad scope) is the operator's mistake, printed like a configuration error.
 */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const store = openStore(config.database.dialect === 'postgres' ? { ...config.database, statementTimeoutMs: 0 } : config.database);
  try {
    if (options.migrate !== false) await migrateToLatest(store.db, store.dialect);
    return await work(store);
  } catch (error) {
    if (error instanceof DomainError) throw new ConfigError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}
