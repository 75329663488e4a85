import { issueToken } from '../../domain/users/tokens.js';
import { findUser, firstActiveAdmin, firstCompanyId } from '../../store/repositories/users.repository.js';
import { type Config, ConfigError } from '../config.js';
import { withStore } from './with-store.js';

/**
 * `personsd token create --user <id> | --admin [--company <id>]`: issues a new API token for a user (revoking the
 * user's old one); prints only the token on stdout. `--admin` picks the company's first active admin, so an
 * operator who lost the first start's token needs no ids.
 */
export async function tokenCommand(config: Config, options: { user?: number; admin?: boolean; company?: number }): Promise<number> {
  return withStore(config, async (store) => {
    let user: { id: number; company_id: number; name: string; email: string } | undefined;
    if (options.admin) {
      const companyId = options.company ?? (await firstCompanyId(store.db));
      if (companyId === undefined) throw new ConfigError('the database has no company yet: `personsd serve` creates the first one and prints its token');
      user = await firstActiveAdmin(store.db, companyId);
      if (!user) throw new ConfigError(`company ${companyId} does not exist or has no active admin (\`personsd users\` lists the users)`);
    } else {
      const userId = options.user as number;
      const row = await store.db.selectFrom('users').select(['company_id']).where('id', '=', userId).executeTakeFirst();
      user = row && (await findUser(store.db, row.company_id, userId));
      if (!user) throw new ConfigError(`no user with id ${userId} (\`personsd users\` lists the users)`);
    }
    const { id, company_id: companyId } = user;
    const token = await store.db.transaction().execute((trx) => issueToken(trx, companyId, id));
    process.stdout.write(token + '\n');
    if (options.admin) console.error(`issued for user ${id} (${user.name}, ${user.email}) of company ${companyId}; their previous token no longer works`);
    return 0;
  });
}
