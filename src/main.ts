import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, type Config, loadConfig } from './config.js';
import { bootstrapIfEmpty } from './domain/bootstrap.js';
import { purgeDeleted } from './domain/purge.js';
import { issueToken } from './domain/users/tokens.js';
import { findUser } from './store/repositories/users.repository.js';
import { openStore } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { oauthAppCommand } from './oauth-app-command.js';
import { startServer } from './server.js';

const USAGE = `usage: personsd <command>

  serve [--workers N]          migrate, then serve the API (N processes; 0 = one per core)
  migrate                      bring the database schema up to date
  token create --user <id>     issue a new API token for a user (revokes the old one); prints only the token
  purge                        remove persons and organizations deleted more than 30 days ago
  app create --name <name> --redirect-uri <url> [--scopes a,b]
                               register an OAuth app; prints its client_id and client_secret

Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config, rest);
    case 'migrate':
      return withStore(config, async (store) => {
        const applied = await migrateToLatest(store.db, store.dialect);
        console.error(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      });
    case 'token':
      return tokenCommand(config, rest);
    case 'app':
      return oauthAppCommand(config, rest);
    case 'purge':
      return withStore(config, async (store) => {
        await migrateToLatest(store.db, store.dialect);
        const purged = await purgeDeleted(store.db);
        console.error(`purged ${purged.persons} persons and ${purged.organizations} organizations`);
      });
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

async function withStore(config: Config, work: (store: ReturnType<typeof openStore>) => Promise<void>): Promise<number> {
  const store = openStore(config.database);
  try {
    await work(store);
    return 0;
  } finally {
    await store.close();
  }
}

async function tokenCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, options: { user: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'create' || !values.user || !/^\d+$/.test(values.user)) {
    console.error('usage: personsd token create --user <id>');
    return 2;
  }
  const userId = Number(values.user);
  return withStore(config, async (store) => {
    await migrateToLatest(store.db, store.dialect);
    const user = await store.db.selectFrom('users').select(['company_id']).where('id', '=', userId).executeTakeFirst();
    if (!user || !(await findUser(store.db, user.company_id, userId))) throw new ConfigError(`no user with id ${userId}`);
    const token = await store.db.transaction().execute((trx) => issueToken(trx, user.company_id, userId));
    process.stdout.write(token + '\n');
  });
}

async function serve(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { workers: { type: 'string' } } });
  const workers = values.workers !== undefined ? Number(values.workers) : config.workers;
  if (!Number.isInteger(workers) || workers < 0) throw new ConfigError('--workers must be a whole number');
  const processes = workers === 0 ? availableParallelism() : workers;

  if (config.bootstrapToken !== undefined && config.bootstrapToken.length < 16) {
    throw new ConfigError('PERSONSD_BOOTSTRAP_TOKEN must be at least 16 characters long');
  }
  let bootToken: string | undefined;
  if (cluster.isPrimary) {
    // Migrations and bootstrap run once, here, before any process serves.
    const store = openStore(config.database);
    try {
      await migrateToLatest(store.db, store.dialect);
      bootToken = (await bootstrapIfEmpty(store.db, config.bootstrapToken))?.token;
    } finally {
      await store.close();
    }
    if (processes > 1) {
      if (bootToken) printBootstrap(`http://${config.host}:${config.port}`, bootToken);
      for (let i = 0; i < processes; i++) cluster.fork();
      cluster.on('exit', (worker, code, signal) => {
        if (!shuttingDown) {
          console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
          cluster.fork();
        }
      });
      let shuttingDown = false;
      const stop = () => {
        shuttingDown = true;
        for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      console.error(`personsd: ${processes} worker processes serving http://${config.host}:${config.port}`);
      return new Promise<number>(() => {});
    }
  }

  const server = await startServer(config, { migrate: false });
  if (cluster.isPrimary) {
    // Printed once listening, so the curl line carries the real port (PORT=0 picks one).
    if (bootToken) printBootstrap(server.url, bootToken);
    console.error(`personsd listening on ${server.url} (database: ${describeDatabase(config)})`);
  }
  const shutdown = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return new Promise<number>(() => {});
}

function describeDatabase(config: Config): string {
  return config.database.dialect === 'sqlite' ? `sqlite ${config.database.path}` : 'postgres';
}

function printBootstrap(base: string, token: string): void {
  console.log(`personsd: created the first company, an admin user and this API token:

    ${token}

Try it:
    curl -H 'x-api-token: ${token}' ${base}/api/v2/persons
`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? `personsd: ${err.message}` : err);
    process.exit(1);
  },
);
