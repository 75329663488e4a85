import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { purgeDeleted } from './domain/purge.js';
import { type Store, openStore } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { type Services, createServices } from './services.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  services: Services;
  url: string;
  close(): Promise<void>;
}

/** Opens the database, brings its schema up to date, and serves; the caller decides about bootstrap and logs. */
export async function startServer(config: Config, options: { migrate?: boolean; logger?: boolean } = {}): Promise<RunningServer> {
  const store = openStore(config.database);
  if (options.migrate !== false) await migrateToLatest(store.db, store.dialect);
  const services = await createServices(store);
  const app = await buildApp(services, {
    bodyLimit: config.bodyLimit,
    access: config.access,
    logger: options.logger === false ? false : { level: config.logLevel },
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const purge = setInterval(() => {
    purgeDeleted(store.db).catch((err) => app.log.error({ err }, 'purge of deleted rows failed'));
  }, config.purgeIntervalMs);
  purge.unref();
  return {
    app,
    store,
    services,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    async close() {
      clearInterval(purge);
      await app.close();
      await store.close();
    },
  };
}
