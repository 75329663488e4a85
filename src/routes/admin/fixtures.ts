import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../app/services.js';
import { FixturesDocument, loadFixtures } from '../../domain/testing/fixtures.js';
import { IdParams } from '../../http/schemas.js';
import { ADMIN_TAG } from './tag.js';

export const adminFixturesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post(
    '/companies/:id/fixtures',
    {
      schema: {
        tags: [ADMIN_TAG],
        summary: "Load a fixtures document into a company, in one transaction; answers the ids given to each key",
        params: IdParams,
        body: FixturesDocument,
      },
    },
    async (request, reply) => {
      const admin = await services.tenants.adminOf(request.params.id);
      const ids = await services.inOneTransaction((scoped) => loadFixtures(scoped, admin, request.body));
      return reply.status(201).send({ success: true, data: ids });
    },
  );
};
