import type { ChangeStamp } from '../remembered-while-unchanged.js';
import type { Authenticated } from './credential.js';

type Authenticate = (token: string) => Promise<Authenticated | undefined>;

const MAX_TOKENS = 10_000;

/*
 * Every authenticated request looks its API token up: a SHA-256 and a join, about 7 µs of a 45 µs read by id on
 * SQLite and a pooled round trip on PostgreSQL. The answer can only change when a credential does, so it is
 * remembered for as long as the store's settings stamp stays the same (SQLite: any write by any process;
 * PostgreSQL: a trigger's notification, behind a round trip that makes every earlier commit count). A revoked token
 * or a deactivated user is therefore refused by the very next request, exactly as without the cache; losing the
 * cache costs one lookup per token.
 *
 * Only API tokens are remembered: an OAuth access token also expires with time, which no write announces. At most
 * MAX_TOKENS tokens are held, in this process's memory only.
 */
export function cacheAuthenticationWhileUnchanged(settingsStamp: ChangeStamp, authenticate: Authenticate): Authenticate {
  const read = async (): Promise<string | undefined> => {
    try {
      return await settingsStamp();
    } catch {
      return undefined; // the stamp is unreadable: look the token up, remember nothing
    }
  };
  let stamp: string | undefined;
  const known = new Map<string, Authenticated>();
  return async (token) => {
    const now = await read();
    if (now === undefined) return authenticate(token);
    if (now !== stamp) {
      known.clear();
      stamp = now;
    }
    const remembered = known.get(token);
    if (remembered !== undefined) return remembered;
    const found = await authenticate(token);
    // Kept only if nothing changed while it was looked up, so it describes the state `stamp` names.
    if (found?.credential.kind === 'api_token' && stamp === now && (await read()) === now) {
      if (known.size >= MAX_TOKENS) known.clear();
      known.set(token, found);
    }
    return found;
  };
}
