import { createInterface } from 'node:readline';
import { ConsoleAuthService } from '../../domain/access/console-auth.service.js';
import { checkPasswordRules } from '../../domain/access/passwords.js';
import { findUser, firstActiveAdmin, firstCompanyId } from '../../store/repositories/users.repository.js';
import type { Store } from '../../store/db.js';
import { type Config, ConfigError } from '../config.js';
import { withStore } from './with-store.js';

type UserChoice = { user?: number; admin?: boolean };

async function chosenUser(store: Store, options: UserChoice) {
  if (options.admin) {
    const companyId = await firstCompanyId(store.db);
    const admin = companyId === undefined ? undefined : await firstActiveAdmin(store.db, companyId);
    if (!admin) throw new ConfigError('the database has no company with an active admin yet: `personsd serve` creates the first one');
    return admin;
  }
  const row = await store.db.selectFrom('users').select(['company_id']).where('id', '=', options.user as number).executeTakeFirst();
  const user = row && (await findUser(store.db, row.company_id, options.user as number));
  if (!user) throw new ConfigError(`no user with id ${options.user} (\`personsd users\` lists the users)`);
  return user;
}

/** The password: typed at a prompt that does not echo it, or the first line of standard input when piped. */
async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write('New password: ');
  muted._writeToOutput = () => {};
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return password;
}

/**
 * `personsd user set-password --user <id> | --admin`: sets the user's web console password (read from a hidden
 * prompt, or the first line of standard input) and ends the user's console sessions.
 */
export async function setPasswordCommand(config: Config, options: UserChoice): Promise<number> {
  return withStore(config, async (store) => {
    const user = await chosenUser(store, options);
    const password = await readPassword();
    try {
      checkPasswordRules(password);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
    await new ConsoleAuthService(store.db).setPassword(user.company_id, user.id, password);
    console.error(`password set for user ${user.id} (${user.name}, ${user.email}); they sign in at the console with that e-mail`);
    return 0;
  });
}

/** `personsd user invite --user <id>`: prints a one-time link (valid 7 days) where the user chooses a password. */
export async function inviteCommand(config: Config, options: UserChoice): Promise<number> {
  return withStore(config, async (store) => {
    const user = await chosenUser(store, options);
    const secret = await new ConsoleAuthService(store.db).createInvite(user.company_id, user.id);
    const base = config.access?.publicUrl ?? `http://localhost:${config.port}`;
    process.stdout.write(`${base}/invite/${secret}\n`);
    console.error(`invite for user ${user.id} (${user.name}, ${user.email}); the link works once, for 7 days`);
    return 0;
  });
}
