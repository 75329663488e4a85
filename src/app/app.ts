import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_ACCESS, type AccessConfig } from './access-config.js';
import { type AdminConfig, DEFAULT_JOURNAL_SIZE } from './config.js';
import { adminRoutes } from '../routes/admin/index.js';
import { FaultRules } from '../domain/testing/faults.js';
import { installFaults } from '../http/faults.js';
import { WebhookSinks } from '../domain/testing/webhook-sinks.js';
import { RequestJournal, installRequestJournal } from '../http/request-journal.js';
import { hardenedServerOptions, setUpAccess } from '../http/access.js';
import { registerErrorHandling } from '../http/errors.js';
import { ErrorEnvelope } from '../http/schemas.js';
import { validatorCompiler } from '../http/validation.js';
import { healthRoutes } from '../routes/health.js';
import { PersonFieldV1, personFieldsV1Routes } from '../routes/v1/person-fields.js';
import { UserV1Schema, usersRoutes } from '../routes/v1/users.js';
import { WebhookV1Schema, webhooksRoutes } from '../routes/v1/webhooks.js';
import { Organization, organizationsRoutes } from '../routes/v2/organizations.js';
import { personFieldsV2Routes } from '../routes/v2/person-fields.js';
import { PersonFieldV2 } from '../routes/v2/person-fields.schemas.js';
import { Person } from '../routes/v2/persons.schemas.js';
import { personsRoutes } from '../routes/v2/persons.js';
import { searchRoutes } from '../routes/v2/search.js';
import { itemSearchRoutes } from '../routes/v1/item-search.js';
import { itemSearchV2Routes } from '../routes/v2/item-search.js';
import { dealsRoutes } from '../routes/v2/deals.js';
import { personFollowersRoutes } from '../routes/v2/person-followers.js';
import { personFollowersV1Routes } from '../routes/v1/person-followers.js';
import { personHistoryRoutes } from '../routes/v1/person-history.js';
import { personPermittedUsersRoutes } from '../routes/v1/person-permitted-users.js';
import { personPictureV1Routes } from '../routes/v1/person-picture.js';
import { personMergeRoutes } from '../routes/v1/person-merge.js';
import { personPictureRoutes } from '../routes/v2/person-picture.js';
import type { Services } from './services.js';
import { personIdentityRoutes } from '../routes/v2/person-identity.js';
import { personTransferRoutes } from '../routes/v2/person-transfer.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  /** The largest import file (POST /api/v2/persons/import). */
  importBodyLimit?: number;
  access?: AccessConfig;
  /** The /_personsd admin API, when its token is set. */
  admin?: AdminConfig;
}

/** The whole HTTP surface: plugins, then the public routes, then the authenticated v1 and v2 scopes. */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { removeAdditional: false } },
    ...hardenedServerOptions(options.access ?? DEFAULT_ACCESS),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Bodies are JSON; anything else is a 415 rather than a string the schema then rejects.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  // Test-suite tooling, first of all hooks so a fault answers before authentication or rate limits.
  const faults = new FaultRules();
  const journal = new RequestJournal(options.admin?.journalSize ?? DEFAULT_JOURNAL_SIZE);
  if (options.admin?.token) {
    installFaults(app, faults);
    installRequestJournal(app, journal);
  }
  const access = await setUpAccess(app, services, options.access ?? DEFAULT_ACCESS);
  for (const schema of [ErrorEnvelope, Person, Organization, UserV1Schema, PersonFieldV1, PersonFieldV2, WebhookV1Schema]) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      info: { title: 'personsd', description: 'A Pipedrive-compatible Persons service', version: '0.1.0' },
      components: { securitySchemes: { api_key: { type: 'apiKey', in: 'header', name: 'x-api-token' } } },
      security: [{ api_key: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes, { services });
  await access.registerOAuthRoutes(app);

  const v1 = async (scope: FastifyInstance) => {
    access.protect(scope);
    await scope.register(usersRoutes, { services });
    await scope.register(webhooksRoutes, { services });
    await scope.register(personFieldsV1Routes, { services });
    await scope.register(itemSearchRoutes, { services });
    await scope.register(personFollowersV1Routes, { services });
    await scope.register(personHistoryRoutes, { services });
    await scope.register(personPermittedUsersRoutes, { services });
    await scope.register(personPictureV1Routes, { services });
    await scope.register(personMergeRoutes, { services });
  };
  const v2 = async (scope: FastifyInstance) => {
    access.protect(scope);
    await scope.register(personsRoutes, { services });
    await scope.register(searchRoutes, { services });
    await scope.register(itemSearchV2Routes, { services });
    await scope.register(personFieldsV2Routes, { services });
    await scope.register(organizationsRoutes, { services });
    await scope.register(dealsRoutes, { services });
    await scope.register(personFollowersRoutes, { services });
    await scope.register(personPictureRoutes, { services });
    await scope.register(personIdentityRoutes, { services });
    await scope.register(personTransferRoutes, { services, importBodyLimit: options.importBodyLimit });
  };
  // Pipedrive serves v1 under both prefixes; the official client uses /v1, OAuth apps use /api/v1.
  await app.register(v1, { prefix: '/v1' });
  await app.register(v1, { prefix: '/api/v1' });
  await app.register(v2, { prefix: '/api/v2' });
  if (options.admin?.token) await app.register(adminRoutes, { prefix: '/_personsd', services, adminToken: options.admin.token, faults, journal, sinks: new WebhookSinks() });
  return app;
}
