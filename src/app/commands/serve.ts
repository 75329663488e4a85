import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { type BootstrapResult, bootstrapIfEmpty } from '../../domain/bootstrap.js';
import { rebuildIdentityKeysIfStale } from '../../domain/identity/identity-rebuild.js';
import { rebuildSearchIndexIfStale } from '../../domain/search/search-index.js';
import { type Config, ConfigError, DEFAULT_SHUTDOWN_TIMEOUT_MS, isInMemory } from '../config.js';
import { type RunningServer, startServer } from '../server.js';
import { keepHeapCompact } from '../heap-growth.js';
import { SHUTDOWN_GRACE_MS, superviseWorkers } from './supervise-workers.js';
import { withStore } from './with-store.js';

/**
 * `personsd serve [--workers N]`: prepares the database once, then serves in this process or in N workers. The first
 * company, its admin and token are created only once the server listens, so a start that fails (a taken port)
 * creates nothing and the next start prints the token.
 */
export async function serveCommand(config: Config, options: { workers?: number }): Promise<number> {
  const workers = options.workers ?? config.workers;
  const processes = workers === 0 ? availableParallelism() : workers;

  if (config.bootstrapToken !== undefined && config.bootstrapToken.length < 16) {
    throw new ConfigError('PERSONSD_BOOTSTRAP_TOKEN must be at least 16 characters long');
  }
  // A worker of `serve --workers N`: the primary has prepared the database already.
  if (cluster.isWorker) return serveInThisProcess(config);
  if (isInMemory(config.database)) {
    if (processes !== 1) throw new ConfigError('an in-memory database (DATABASE_URL=memory:) is served by one process: use --workers 1');
    // The server migrates and bootstraps its own connection: a database prepared here would be another, empty one.
    return serveInThisProcess(config, async (server) => {
      if (server.bootstrapped) printBootstrap(server.url, server.bootstrapped);
      console.error(`personsd listening on ${server.url} (database: in memory)`);
    });
  }

  // Migrations and a search index rebuild (after a format change) run here, once, before any process serves,
  // without the statement timeout (each under a lock, in case other machines start at the same moment).
  await withStore(config, async (store) => {
    await rebuildIdentityKeysIfStale(store.db, config.identity?.defaultRegion);
    await rebuildSearchIndexIfStale(store.db);
  });
  const announce = (url: string, what: string, bootstrapped: BootstrapResult | undefined) => {
    // Printed once listening, so the curl line carries the real port (PORT=0 picks one).
    if (bootstrapped) printBootstrap(url, bootstrapped);
    console.error(`personsd${what} listening on ${url} (database: ${describeDatabase(config)})`);
  };
  if (processes === 1) {
    return serveInThisProcess(config, async (server) => announce(server.url, '', await bootstrapIfEmpty(server.store.db, config.bootstrapToken)));
  }
  return superviseWorkers(config, processes, async (url, what) =>
    announce(url, what, await withStore(config, (store) => bootstrapIfEmpty(store.db, config.bootstrapToken), { migrate: false })),
  );
}

/** Serves until SIGTERM or SIGINT, then stops taking connections, finishes the requests in flight and exits. */
async function serveInThisProcess(config: Config, listening?: (server: RunningServer) => Promise<void>): Promise<number> {
  keepHeapCompact();
  const server = await startServer(config, { migrate: false });
  try {
    await listening?.(server);
  } catch (error) {
    await server.close();
    throw error;
  }
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

function printBootstrap(base: string, created: BootstrapResult): void {
  console.log(`personsd: created the first company (id ${created.companyId}), its admin (user ${created.userId}) and this API token:

    ${created.token}

Try it:
    curl -H 'x-api-token: ${created.token}' ${base}/api/v2/persons

Keep the token: it is stored only as a hash. \`personsd token create --admin\` issues the admin a new one (and revokes
this one); \`personsd users\` lists the users.
`);
}
