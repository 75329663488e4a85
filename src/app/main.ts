import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, type Config, isInMemory, loadConfig } from './config.js';
import { type BootstrapResult, bootstrapIfEmpty } from '../domain/bootstrap.js';
import { purgeDeleted } from '../domain/purge.js';
import { invalidateSearchIndex, rebuildSearchIndexIfStale } from '../domain/search/search-index.js';
import { rebuildIdentityKeysIfStale } from '../domain/identity/identity-rebuild.js';
import { issueToken } from '../domain/users/tokens.js';
import { findUser } from '../store/repositories/users.repository.js';
import { openStore } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { oauthAppCommand } from './commands/oauth-app.js';
import { visibilityGroupCommand } from './commands/visibility-group.js';
import { importCommand } from './commands/import.js';
import { startServer } from './server.js';

const USAGE = `usage: personsd <command>

  serve [--workers N]          migrate, then serve the API (N processes; 0 = one per core)
  migrate                      bring the database schema (and the search index's format) up to date
  token create --user <id>     issue a new API token for a user (revokes the old one); prints only the token
  purge                        remove persons and organizations deleted more than 30 days ago
  reindex                      rebuild the search index from the records (e.g. after a rolling deploy)
  app create --name <name> --redirect-uri <url> [--scopes a,b]
                               register an OAuth app; prints its client_id and client_secret
  group create --company <id> --name <name> [--parent <id>]
                               create a visibility group; prints its id
  group assign --company <id> --user <id> --group <id|none>
                               move a user into a visibility group (or out of all)
  import <file.csv|file.vcf> --user <id> [--policy allow|reject|upsert] [--map "Header=field"]... [--report FILE]
                               import persons as that user (progress on stderr; exit 1 when rows were rejected)

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
        if (await rebuildIdentityKeysIfStale(store.db, config.identity?.defaultRegion)) console.error('identity keys rebuilt');
        if (await rebuildSearchIndexIfStale(store.db)) console.error('search index rebuilt');
      });
    case 'token':
      return tokenCommand(config, rest);
    case 'app':
      return oauthAppCommand(config, rest);
    case 'group':
      return visibilityGroupCommand(config, rest);
    case 'import':
      return importCommand(config, rest);
    case 'purge':
      return withStore(config, async (store) => {
        await migrateToLatest(store.db, store.dialect);
        const purged = await purgeDeleted(store.db);
        console.error(`purged ${purged.persons} persons and ${purged.organizations} organizations, and ${purged.deals} deals`);
      });
    case 'reindex':
      return withStore(config, async (store) => {
        await migrateToLatest(store.db, store.dialect);
        const started = Date.now();
        await invalidateSearchIndex(store.db);
        await rebuildSearchIndexIfStale(store.db);
        console.error(`search index rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

/** Commands and start-up work run without the API's statement timeout: a migration may rightly take long. */
async function withStore(config: Config, work: (store: ReturnType<typeof openStore>) => Promise<void>): Promise<number> {
  const store = openStore(config.database.dialect === 'postgres' ? { ...config.database, statementTimeoutMs: 0 } : config.database);
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
  // A worker of `serve --workers N`: the primary has prepared the database already.
  if (cluster.isWorker) return serveInThisProcess(config, { announce: false });
  if (isInMemory(config.database)) {
    if (processes !== 1) throw new ConfigError('an in-memory database (DATABASE_URL=memory:) is served by one process: use --workers 1');
    // The server migrates and bootstraps its own connection: a database prepared here would be another, empty one.
    return serveInThisProcess(config, {
      announce: (url, what, bootstrapped) => {
        if (bootstrapped) printBootstrap(url, bootstrapped.token);
        console.error(`personsd${what} listening on ${url} (database: in memory)`);
      },
    });
  }

  // Migrations, a search index rebuild (after a format change) and bootstrap run here, once, before any process
  // serves, without the statement timeout (each under a lock, in case other machines start at the same moment).
  let bootToken: string | undefined;
  await withStore(config, async (store) => {
    await migrateToLatest(store.db, store.dialect);
    await rebuildIdentityKeysIfStale(store.db, config.identity?.defaultRegion);
    await rebuildSearchIndexIfStale(store.db);
    bootToken = (await bootstrapIfEmpty(store.db, config.bootstrapToken))?.token;
  });
  const announce = (url: string, what: string) => {
    // Printed once listening, so the curl line carries the real port (PORT=0 picks one).
    if (bootToken) printBootstrap(url, bootToken);
    console.error(`personsd${what} listening on ${url} (database: ${describeDatabase(config)})`);
  };
  if (processes === 1) return serveInThisProcess(config, { announce });
  return superviseWorkers(config, processes, announce);
}

/** Serves until SIGTERM or SIGINT, then stops taking connections, finishes the requests in flight and exits. */
async function serveInThisProcess(
  config: Config,
  options: { announce: false | ((url: string, what: string, bootstrapped?: BootstrapResult) => void) },
): Promise<number> {
  const server = await startServer(config, { migrate: false });
  if (options.announce) options.announce(server.url, '', server.bootstrapped);
  return new Promise<number>((resolve) => {
    let closing = false;
    const shutdown = () => {
      if (closing) return;
      closing = true;
      // A request that never finishes must not keep a stopping process alive.
      setTimeout(() => resolve(1), SHUTDOWN_GRACE_MS).unref();
      server.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `serve --workers N`: N processes share the listening socket (node:cluster hands out connections round-robin).
 * A worker that dies is replaced, after a growing pause when workers keep dying young (database down, bad
 * config), so a crash loop does not spin. SIGTERM / SIGINT stop every worker gracefully, then the primary.
 */
function superviseWorkers(config: Config, count: number, announce: (url: string, what: string) => void): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    let announced = false;
    let youngDeaths = 0;
    const started = new Map<number, number>();
    const fork = () => {
      if (stopping) return;
      const worker = cluster.fork();
      started.set(worker.id, Date.now());
    };

    cluster.on('listening', (_worker, address) => {
      if (announced) return;
      announced = true;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      announce(`http://${host}:${address.port}`, `: ${count} worker processes`);
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      const lived = Date.now() - (started.get(worker.id) ?? 0);
      started.delete(worker.id);
      youngDeaths = lived < 10_000 ? youngDeaths + 1 : 0;
      const pause = youngDeaths === 0 ? 0 : Math.min(30_000, 250 * 2 ** youngDeaths);
      console.error(`personsd: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another${pause ? ` in ${pause} ms` : ''}`);
      setTimeout(fork, pause);
    });

    const stop = () => {
      if (stopping) return;
      stopping = true;
      const alive = Object.values(cluster.workers ?? {});
      if (alive.length === 0) return resolve(0);
      for (const worker of alive) worker?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        resolve(1);
      }, SHUTDOWN_GRACE_MS + 2_000).unref();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);

    for (let i = 0; i < count; i++) fork();
  });
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
