import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type FailureContext, UsageError } from './cli-failure.js';
import { type Config, loadConfig } from './config.js';

/** The parsed command line, ready to run; `context` is filled as the command learns its settings. */
export interface Cli {
  run(argv: string[]): Promise<number>;
  context: FailureContext;
}

const whole = (what: string, max: number) => (text: string) => {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new InvalidArgumentError(`expected ${what}`);
  return Number(text);
};
const id = whole('an id (a whole number)', 2 ** 31 - 1);
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Every command, its options and its help. Each command loads its own modules only when run, so `serve` does not pay
 * for the seed generator and the like, and reads the environment only then, so --help works whatever it holds.
 */
export function buildCli(output: { writeOut?: (text: string) => void; writeErr?: (text: string) => void } = {}): Cli {
  const context: FailureContext = {};
  let exitCode = 0;
  const config = (): Config => {
    const loaded = loadConfig();
    context.database = loaded.database;
    return loaded;
  };
  const program = new Command('personsd')
    .description('A self-hostable Persons service that speaks the Pipedrive API.')
    .version(packageVersion(), '-V, --version')
    .option('--verbose', 'print the stack trace when a command fails (LOG_LEVEL=debug does too)')
    .addHelpText('after', '\nConfiguration comes from environment variables (DATABASE_URL, PORT, …); see the README.');

  program
    .command('serve')
    .description('migrate, then serve the API; the first start creates a company, its admin and a token, and prints it')
    .option('--workers <n>', 'serve in N processes (0 = one per core); default WORKERS, or 1', whole('a whole number of processes', 256))
    .option('--port <port>', 'listen on this port instead of PORT', whole('a port number from 0 to 65535', 65535))
    .option('--host <address>', 'listen on this address instead of HOST')
    .action(async (options: { workers?: number; port?: number; host?: string }) => {
      const { serveCommand } = await import('./commands/serve.js');
      const base = config();
      exitCode = await serveCommand({ ...base, port: options.port ?? base.port, host: options.host ?? base.host }, { workers: options.workers });
    });

  program
    .command('migrate')
    .description("bring the database schema (and the search index's format) up to date")
    .action(async () => {
      exitCode = await (await import('./commands/maintenance.js')).migrateCommand(config());
    });

  program
    .command('users')
    .description('list the users: id, company, admin, name and e-mail')
    .option('--company <id>', 'only the users of this company', id)
    .action(async (options: { company?: number }) => {
      exitCode = await (await import('./commands/users.js')).usersCommand(config(), options);
    });

  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description("issue a new API token for a user, revoking the user's old one; prints only the token")
    .addOption(new Option('--user <id>', 'the user').argParser(id))
    .addOption(new Option('--admin', "the company's first admin (no id needed)").conflicts('user'))
    .option('--company <id>', 'with --admin: the company (default: the first one)', id)
    .action(async (options: { user?: number; admin?: boolean; company?: number }, command: Command) => {
      if (options.user === undefined && !options.admin) throw new UsageError('give --user <id> or --admin', commandPath(command));
      if (options.company !== undefined && !options.admin) throw new UsageError('--company goes with --admin', commandPath(command));
      exitCode = await (await import('./commands/token.js')).tokenCommand(config(), options);
    });

  const user = program.command('user').description('web console sign-in');
  user
    .command('set-password')
    .description("set a user's console password (typed at a hidden prompt, or the first line of stdin); ends their sessions")
    .addOption(new Option('--user <id>', 'the user').argParser(id))
    .addOption(new Option('--admin', "the first company's first admin (no id needed)").conflicts('user'))
    .action(async (options: { user?: number; admin?: boolean }, command: Command) => {
      if (options.user === undefined && !options.admin) throw new UsageError('give --user <id> or --admin', commandPath(command));
      exitCode = await (await import('./commands/user-password.js')).setPasswordCommand(config(), options);
    });
  user
    .command('invite')
    .description('print a one-time link (valid 7 days) where the user chooses a console password')
    .addOption(new Option('--user <id>', 'the user').argParser(id))
    .addOption(new Option('--admin', "the first company's first admin (no id needed)").conflicts('user'))
    .action(async (options: { user?: number; admin?: boolean }, command: Command) => {
      if (options.user === undefined && !options.admin) throw new UsageError('give --user <id> or --admin', commandPath(command));
      exitCode = await (await import('./commands/user-password.js')).inviteCommand(config(), options);
    });

  program
    .command('purge')
    .description('remove persons, organizations and deals deleted more than 30 days ago')
    .action(async () => {
      exitCode = await (await import('./commands/maintenance.js')).purgeCommand(config());
    });

  program
    .command('reindex')
    .description('rebuild the search index from the records (e.g. after a rolling deploy)')
    .action(async () => {
      exitCode = await (await import('./commands/maintenance.js')).reindexCommand(config());
    });

  program
    .command('app')
    .description('OAuth apps')
    .command('create')
    .description('register an OAuth app; prints its client_id and client_secret (shown only now)')
    .requiredOption('--name <name>', "the app's name, shown on the consent form")
    .requiredOption('--redirect-uri <url>', 'where authorization codes are sent')
    .option('--scopes <list>', 'comma-separated scopes, e.g. base,contacts:full (default: all)')
    .action(async (options: { name: string; redirectUri: string; scopes?: string }) => {
      exitCode = await (await import('./commands/oauth-app.js')).oauthAppCommand(config(), options);
    });

  const group = program.command('group').description('visibility groups (who sees persons at visible_to 3 and 5)');
  group
    .command('create')
    .description('create a visibility group; prints its id')
    .requiredOption('--company <id>', 'the company', id)
    .requiredOption('--name <name>', "the group's name")
    .option('--parent <id>', 'the group it sits under (default: the top group)', id)
    .action(async (options: { company: number; name: string; parent?: number }) => {
      exitCode = await (await import('./commands/visibility-group.js')).createGroupCommand(config(), options);
    });
  group
    .command('assign')
    .description('move a user into a visibility group, or out of all of them')
    .requiredOption('--company <id>', 'the company', id)
    .requiredOption('--user <id>', 'the user', id)
    .requiredOption('--group <id|none>', 'the group, or none', (text) => (text === 'none' ? null : id(text)))
    .action(async (options: { company: number; user: number; group: number | null }) => {
      exitCode = await (await import('./commands/visibility-group.js')).assignGroupCommand(config(), options);
    });

  program
    .command('import')
    .description('import persons as a user (progress on stderr); exits 1 when rows were rejected')
    .argument('<file>', 'a CSV file with a header row, or a vCard file (.vcf, .vcard)')
    .requiredOption('--user <id>', 'the user the persons are imported as (their owner and visibility)', id)
    .addOption(new Option('--policy <policy>', 'what a duplicate does: allow, reject or upsert (default: allow)').choices(['allow', 'reject', 'upsert']))
    .option('--map <Header=field>', 'read a CSV column as a field (repeatable); "Header=" ignores the column', collect)
    .option('--report <file>', 'write the full report (every row) as JSON')
    .action(async (file: string, options: { user: number; policy?: string; map?: string[]; report?: string }) => {
      exitCode = await (await import('./commands/import.js')).importCommand(config(), file, options);
    });

  program
    .command('seed')
    .description('load a fixtures document, or generate realistic persons, organizations and deals')
    .option('--file <fixtures.json>', "a fixtures document (the admin API's format), loaded in one transaction; prints the ids")
    .option('--persons <n>', 'generate this many persons, with organizations and deals')
    .option('--locale <locale>', 'with --persons: the fake-data locale, e.g. de (default: en)')
    .option('--seed <n>', 'with --persons: the random seed, for the same data every time')
    .option('--company <id>', 'the company written to (default: the first one)')
    .action(async (options: { file?: string; persons?: string; locale?: string; seed?: string; company?: string }, command: Command) => {
      if ((options.file === undefined) === (options.persons === undefined)) throw new UsageError('give either --file or --persons', commandPath(command));
      exitCode = await (await import('./commands/seed.js')).seedCommand(config(), options);
    });

  for (const command of everyCommand(program)) {
    command.configureOutput({ ...output, outputError: () => {} }).exitOverride((error) => {
      // --help, --version, and the help shown when a command group is called alone (already printed).
      if (error.exitCode === 0 || error.code === 'commander.help') throw new HelpShown(error.exitCode === 0 ? 0 : 2);
      const message = error.message
        .replace(/^error: /, '')
        .replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)')
        .replace(/ is invalid\. (.)/, (_, first: string) => ` is invalid: ${first.toLowerCase()}`)
        .replace(/\.$/, '');
      throw new UsageError(message, commandPath(command));
    });
  }

  return {
    context,
    async run(argv) {
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (error) {
        if (error instanceof HelpShown) return error.exitCode;
        throw error;
      }
      return exitCode;
    },
  };
}

class HelpShown extends Error {
  constructor(readonly exitCode: number) {
    super('help shown');
  }
}

function* everyCommand(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* everyCommand(sub);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

function packageVersion(): string {
  // src/app/ and dist/app/ both sit two levels below package.json.
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
