import { parseArgs } from 'node:util';
import { DEFAULT_ACCESS } from '../../http/access-settings.js';
import type { Config } from '../config.js';
import { withStore } from './with-store.js';
import { OAuthService } from '../../domain/access/oauth.service.js';

export const APP_USAGE = 'usage: personsd app create --name <name> --redirect-uri <url> [--scopes base,contacts:full,…]';

/** `personsd app create`: registers an OAuth app and prints its client_id and client_secret (shown only now). */
export async function oauthAppCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    options: { name: { type: 'string' }, 'redirect-uri': { type: 'string' }, scopes: { type: 'string' } },
    allowPositionals: true,
  });
  const { name, 'redirect-uri': redirectUri, scopes } = values;
  if (positionals[0] !== 'create' || !name || !redirectUri) {
    console.error(APP_USAGE);
    return 2;
  }
  return withStore(config, async (store) => {
    const oauth = new OAuthService(store.db, (config.access ?? DEFAULT_ACCESS).oauth);
    const app = await oauth.registerApp({ name, redirectUri, scopes });
    process.stdout.write(`client_id=${app.clientId}\nclient_secret=${app.clientSecret}\n`);
    console.error(`registered "${app.name}" with redirect URI ${app.redirectUri} and scopes ${app.scopes.join(',')}`);
    return 0;
  });
}
