import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { type BootstrapResult, bootstrapIfEmpty } from '../../domain/bootstrap.js';
import { rebuildIdentityKeysIfStale } from '../../domain/identity/identity-rebuild.js';
import { rebuildSearchIndexIfStale } from '../../domain/search/search-index.js';
import { type Config, ConfigError, DEFAULT_SHUTDOWN_TIMEOUT_MS, isInMemory } from '../config.js';
import { startServer } from '../server.js';
import { SHUTDOWN_GRACE_MS, superviseWorkers } from './supervise-workers.js';
import { withStore } from './with-store.js';

/** `personsd serve [--workers N]`: prepares the database once, then serves in this process or in N workers. */
export async function serveCommand(config: Config, args: string[]): Promise<number> {
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
  const bootToken = await withStore(config, async (store) => {
    await rebuildIdentityKeysIfStale(store.db, config.identity?.defaultRegion);
    await rebuildSearchIndexIfStale(store.db);
    return (await bootstrapIfEmpty(store.db, config.bootstrapToken))?.token;
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
      // The shutdown cuts what outlives its bound; this only guards against a close that hangs regardless.
      setTimeout(() => resolve(1), (config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) + SHUTDOWN_GRACE_MS).unref();
      server.shutdown().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
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
