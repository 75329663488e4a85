import { parseArgs } from 'node:util';
import { issueToken } from '../../domain/users/tokens.js';
import { findUser } from '../../store/repositories/users.repository.js';
import { type Config, ConfigError } from '../config.js';
import { withStore } from './with-store.js';

/** `personsd token create --user <id>`: issues a new API token for a user (revoking the old one); prints only the token. */
export async function tokenCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, options: { user: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'create' || !values.user || !/^\d+$/.test(values.user)) {
    console.error('usage: personsd token create --user <id>');
    return 2;
  }
  const userId = Number(values.user);
  return withStore(config, async (store) => {
    const user = await store.db.selectFrom('users').select(['company_id']).where('id', '=', userId).executeTakeFirst();
    if (!user || !(await findUser(store.db, user.company_id, userId))) throw new ConfigError(`no user with id ${userId}`);
    const token = await store.db.transaction().execute((trx) => issueToken(trx, user.company_id, userId));
    process.stdout.write(token + '\n');
    return 0;
  });
}
