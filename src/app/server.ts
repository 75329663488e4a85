import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, DEFAULT_SHUTDOWN_TIMEOUT_MS, isInMemory } from './config.js';
import { WEBHOOK_DEFAULTS } from '../domain/webhooks/webhook-delivery-settings.js';
import { type BootstrapResult, bootstrapIfEmpty } from '../domain/bootstrap.js';
import { purgeDeleted } from '../domain/purge.js';
import { SearchIndexUpkeep } from '../domain/search/search-index-upkeep.js';
import { type Clock, PIPEDRIVE_DELIVERY_POLICY, systemClock } from '../domain/webhooks/delivery-policy.js';
import { DeliveryTargets, type HostResolver } from '../domain/webhooks/delivery-targets.js';
import { WebhookDispatcher } from '../domain/webhooks/webhook-dispatcher.js';
import { FaultSet } from '../domain/testing/fault-set.js';
import { HttpWebhookSender } from '../domain/webhooks/webhook-sender.js';
import { type LogSettings, loggerOptions } from '../http/logging.js';
import { Metrics } from '../http/metrics.js';
import { InFlightRequests } from '../http/in-flight.js';
import { type ShutdownReport, drainAndClose } from './shutdown.js';
import { type Store, openStore } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { type Services, createServices } from './services.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  services: Services;
  url: string;
  /** Set when this start created the first company (an in-memory database always starts empty). */
  bootstrapped?: BootstrapResult;
  /** Stops at once: webhook deliveries in flight are abandoned (their events stay queued). */
  close(): Promise<void>;
  /** Stops gracefully (SIGTERM): drains requests and webhook deliveries within config.shutdownTimeoutMs, logging each step. */
  shutdown(): Promise<ShutdownReport>;
}

export interface StartOptions {
  migrate?: boolean;
  logger?: boolean;
  /** Where log lines go instead of standard output (tests read them). */
  logStream?: LogSettings['stream'];
  /** Tests run webhook retries and bans on a clock they control. */
  clock?: Clock;
  /** Tests resolve webhook host names themselves (to a changing address, say); the system resolver otherwise. */
  resolveHost?: HostResolver;
}

/** Opens the database, brings its schema up to date, and serves; the caller decides about bootstrap and logs. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const store = openStore(config.database);
  let app: FastifyInstance | undefined;
  let bootstrapped: BootstrapResult | undefined;
  let services: Services;
  const clock = options.clock ?? systemClock;
  const webhooks = config.webhooks ?? WEBHOOK_DEFAULTS;
  const webhookTargets = new DeliveryTargets(webhooks.targets, options.resolveHost);
  const faults = new FaultSet();
  const metrics = new Metrics();
  const requests = new InFlightRequests();
  try {
    // An in-memory database exists only on this connection: nobody else can have prepared it.
    const inMemory = isInMemory(config.database);
    if (options.migrate !== false || inMemory) await migrateToLatest(store.db, store.dialect);
    bootstrapped = inMemory ? await bootstrapIfEmpty(store.db, config.bootstrapToken) : undefined;
    services = await createServices(store, { clock, defaultRegion: config.identity?.defaultRegion, webhookTargets });
    app = await buildApp(services, {
      inFlight: requests,
      metrics,
      metricsToken: config.metricsToken,
      bodyLimit: config.bodyLimit,
      importBodyLimit: config.identity?.importBodyLimit,
      access: config.access,
      admin: config.admin,
      faults,
      logger: options.logger === false ? false : loggerOptions({ level: config.logLevel, stream: options.logStream }),
    });
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // A start that fails (a taken port, Redis unreachable) leaves no pool or connection holding the process open.
    await app?.close().catch(() => {});
    await store.close().catch(() => {});
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const purge = setInterval(() => {
    purgeDeleted(store.db).catch((err) => app.log.error({ err }, 'purge of deleted rows failed'));
  }, config.purgeIntervalMs);
  purge.unref();
  const upkeep = new SearchIndexUpkeep(store.db, {
    ...(config.searchIndexIntervalMs !== undefined && { intervalMs: config.searchIndexIntervalMs }),
    merge: store.mergeSearchIndex,
    onError: (err) => app.log.error({ err }, 'search index upkeep failed'),
  });
  upkeep.start();
  const sender = new HttpWebhookSender(webhookTargets);
  const dispatcher = webhooks.dispatcher
    ? new WebhookDispatcher(store.db, {
        send: sender.send,
        policy: { ...PIPEDRIVE_DELIVERY_POLICY, retryDelaysMs: webhooks.retryDelaysMs, timeoutMs: webhooks.timeoutMs },
        clock,
        intervalMs: webhooks.pollIntervalMs,
        concurrency: webhooks.concurrency,
        faults: config.admin?.token ? faults.deliveries : undefined,
        onError: (err) => app.log.error({ err }, 'webhook dispatch failed'),
        onDelivered: (result) => metrics.webhookDelivered(result),
      })
    : undefined;
  if (dispatcher) {
    services.webhookOutbox.onQueued(() => dispatcher.nudge());
    dispatcher.start();
  }
  return {
    app,
    store,
    services,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    bootstrapped,
    async close() {
      clearInterval(purge);
      await upkeep.stop();
      await dispatcher?.stop();
      sender.close();
      await app.close();
      await store.close();
    },
    async shutdown() {
      clearInterval(purge);
      const report = await drainAndClose({ app, requests, dispatcher, timeoutMs: config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS });
      sender.close();
      await upkeep.stop();
      await upkeep.flush().catch((err) => app.log.error({ err }, 'search index upkeep failed'));
      await store.close();
      return report;
    },
  };
}
