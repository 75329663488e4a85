import { DEFAULT_ACCESS } from '../../http/access-settings.js';
import type { Config } from '../config.js';
import { withStore } from './with-store.js';
import { OAuthService } from '../../domain/access/oauth.service.js';

/** `personsd app create`: registers an OAuth app and prints its client_id and client_secret (shown only now). */
export async function oauthAppCommand(config: Config, options: { name: string; redirectUri: string; scopes?: string }): Promise<number> {
  return withStore(config, async (store) => {
    const oauth = new OAuthService(store.db, (config.access ?? DEFAULT_ACCESS).oauth);
    const app = await oauth.registerApp(options);
    process.stdout.write(`client_id=${app.clientId}\nclient_secret=${app.clientSecret}\n`);
    console.error(`registered "${app.name}" with redirect URI ${app.redirectUri} and scopes ${app.scopes.join(',')}`);
    return 0;
  });
}
