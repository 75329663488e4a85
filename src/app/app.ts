import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { OAuthService } from '../domain/access/oauth.service.js';
import { seatCounter } from '../domain/access/seats.js';
import { DEFAULT_IMPORT_BODY_LIMIT } from '../domain/identity/identity-config.js';
import { type AdminConfig, DEFAULT_JOURNAL_SIZE } from './config.js';
import { adminRoutes } from '../routes/admin/index.js';
import { FaultSet } from '../domain/testing/fault-set.js';
import { installFaults } from '../http/faults.js';
import { WebhookSinks } from '../domain/testing/webhook-sinks.js';
import { RequestJournal, installRequestJournal } from '../http/request-journal.js';
import { hardenedServerOptions, setUpAccess } from '../http/access.js';
import { DEFAULT_ACCESS, type AccessConfig } from '../http/access-settings.js';
import { registerErrorHandling } from '../http/errors.js';
import { echoRequestId, requestIdOptions } from '../http/request-id.js';
import { sendLargeBodiesAsBytes } from '../http/large-bodies.js';
import { ignoreUnknownQueryParameters } from '../http/ignored-params.js';
import { ErrorEnvelope } from '../http/schemas.js';
import { lazySerializerFactory } from '../http/lazy-compile.js';
import { validatorCompiler } from '../http/validation.js';
import { lazyRequestLogger } from '../http/logging.js';
import { healthRoutes } from '../routes/health.js';
import { metricsRoutes } from '../routes/metrics.js';
import { Metrics } from '../http/metrics.js';
import type { InFlightRequests } from '../http/in-flight.js';
import { countQueuedEvents } from '../store/repositories/webhook-outbox.repository.js';
import { oauthRoutes } from '../routes/oauth.js';
import { consoleRoutes } from '../routes/console.js';
import { consoleAuthRoutes } from '../routes/console-auth.js';
import { v1Routes, v1Schemas } from '../routes/v1/index.js';
import { v2Routes, v2Schemas } from '../routes/v2/index.js';
import type { Services } from './services.js';
import { registerApiDocs } from './api-docs.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  /** The largest import file (POST /api/v2/persons/import). */
  importBodyLimit?: number;
  access?: AccessConfig;
  /** The /_personsd admin API, when its token is set. */
  admin?: AdminConfig;
  /** The admin API's fault rules, shared with the webhook dispatcher; a set of its own when absent. */
  faults?: FaultSet;
  /** The server's metrics (its webhook dispatcher counts into them too); a new set when absent. */
  metrics?: Metrics;
  /** METRICS_TOKEN: /metrics wants it as a Bearer token when set. */
  metricsToken?: string;
  /** Counts the requests in flight, for a shutdown that waits for them. */
  inFlight?: InFlightRequests;
}

/** The whole HTTP surface: plugins, then the public routes, then the authenticated v1 and v2 scopes. */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const config = options.access ?? DEFAULT_ACCESS;
  const app = Fastify({
    logger: options.logger ?? false,
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...requestIdOptions(config.trustProxy),
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory() } },
    ...hardenedServerOptions(config),
  }).withTypeProvider<TypeBoxTypeProvider>();

  echoRequestId(app);
  sendLargeBodiesAsBytes(app);
  options.inFlight?.track(app);
  const metrics = options.metrics ?? new Metrics();
  metrics.install(app, { store: services.store, webhookQueueDepth: () => countQueuedEvents(services.store.db) });
  app.setValidatorCompiler(validatorCompiler);
  // Bodies are JSON; anything else is a 415 rather than a string the schema then rejects.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  ignoreUnknownQueryParameters(app);
  // Test-suite tooling, first of all hooks so a fault answers before authentication or rate limits.
  const faults = options.faults ?? new FaultSet();
  const journal = new RequestJournal(options.admin?.journalSize ?? DEFAULT_JOURNAL_SIZE);
  if (options.admin?.token) {
    installFaults(app, faults.requests);
    installRequestJournal(app, journal);
  }
  const access = await setUpAccess(
    app,
    {
      authenticate: services.authenticate,
      authenticateSession: (sessionToken) => services.consoleAuth.authenticate(sessionToken),
      explainRejection: services.explainRejectedToken,
      seats: seatCounter(services.store.db),
      budgetFaults: options.admin?.token ? faults.budgets : undefined,
    },
    config,
  );
  for (const schema of [ErrorEnvelope, ...v1Schemas, ...v2Schemas]) app.addSchema(schema);

  await registerApiDocs(app);
  await app.register(healthRoutes, { services });
  await app.register(metricsRoutes, { metrics, token: options.metricsToken });
  // After the OpenAPI plugin, to be documented.
  await app.register(oauthRoutes, { services, oauth: new OAuthService(services.store.db, config.oauth), throttle: access.throttle });
  await app.register(consoleAuthRoutes, { services, throttle: access.throttle, adminApi: Boolean(options.admin?.token) });

  const importBodyLimit = options.importBodyLimit ?? DEFAULT_IMPORT_BODY_LIMIT;
  const v1 = async (scope: FastifyInstance) => {
    access.protect(scope);
    await scope.register(v1Routes, { services });
  };
  // Pipedrive serves v1 under both prefixes; the official client uses /v1, OAuth apps use /api/v1.
  await app.register(v1, { prefix: '/v1' });
  await app.register(v1, { prefix: '/api/v1' });
  await app.register(
    async (scope) => {
      access.protect(scope);
      await scope.register(v2Routes, { services, importBodyLimit });
    },
    { prefix: '/api/v2' },
  );
  if (options.admin?.token) await app.register(adminRoutes, { prefix: '/_personsd', services, adminToken: options.admin.token, faults, journal, sinks: new WebhookSinks() });
  // The web console's files and client routes (dist/console), last: its catch-all GET leaves API paths to the 404.
  await app.register(consoleRoutes, {});
  return app;
}
