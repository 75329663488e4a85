import { parseArgs } from 'node:util';
import { DEFAULT_ACCESS } from '../../http/access-settings.js';
import { type Config, ConfigError } from '../config.js';
import { OAuthService } from '../../domain/access/oauth.service.js';
import { DomainError } from '../../domain/errors.js';
import { openStore } from '../../store/db.js';
import { migrateToLatest } from '../../store/migrate.js';

export const APP_USAGE = 'usage: personsd app create --name <name> --redirect-uri <url> [--scopes base,contacts:full,…]';

/** `personsd app create`: registers an OAuth app and prints its client_id and client_secret (shown only now). */
export async function oauthAppCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    options: { name: { type: 'string' }, 'redirect-uri': { type: 'string' }, scopes: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'create' || !values.name || !values['redirect-uri']) {
    console.error(APP_USAGE);
    return 2;
  }
  const store = openStore(config.database);
  try {
    await migrateToLatest(store.db, store.dialect);
    const oauth = new OAuthService(store.db, (config.access ?? DEFAULT_ACCESS).oauth);
    const app = await oauth.registerApp({ name: values.name, redirectUri: values['redirect-uri'], scopes: values.scopes });
    process.stdout.write(`client_id=${app.clientId}\nclient_secret=${app.clientSecret}\n`);
    console.error(`registered "${app.name}" with redirect URI ${app.redirectUri} and scopes ${app.scopes.join(',')}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) throw new ConfigError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}
