import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Tenants } from '../../domain/admin/tenants.js';
import { IdParams } from '../../http/schemas.js';
import { ADMIN_TAG } from './tag.js';

const Done = Type.Object({ success: Type.Boolean() });

/** Tenants for test suites: a company per test, emptied between tests, the whole database back to first start. */
export const adminCompaniesRoutes: FastifyPluginAsyncTypebox<{ tenants: Tenants }> = async (app, { tenants }) => {
  app.post(
    '/companies',
    {
      schema: {
        tags: [ADMIN_TAG],
        summary: 'Create a company with an admin user and an API token',
        body: Type.Optional(
          Type.Object(
            { name: Type.Optional(Type.String({ minLength: 1 })), admin_name: Type.Optional(Type.String({ minLength: 1 })), admin_email: Type.Optional(Type.String({ format: 'email' })) },
            { additionalProperties: false },
          ),
        ),
      },
    },
    async (request, reply) => {
      const created = await tenants.create(request.body ?? {});
      const { user } = created;
      return reply.status(201).send({
        success: true,
        data: {
          company: created.company,
          user: { id: user.id, name: user.name, email: user.email, is_admin: user.is_admin === 1 },
          api_token: created.api_token,
        },
      });
    },
  );

  app.delete('/companies/:id', { schema: { tags: [ADMIN_TAG], summary: 'Delete a company, its users and all its data', params: IdParams, response: { 200: Done } } }, async (request) => {
    await tenants.delete(request.params.id);
    return { success: true };
  });

  app.post(
    '/companies/:id/reset',
    { schema: { tags: [ADMIN_TAG], summary: "Empty a company's data; its users and tokens stay", params: IdParams, response: { 200: Done } } },
    async (request) => {
      await tenants.reset(request.params.id);
      return { success: true };
    },
  );

  app.post('/reset', { schema: { tags: [ADMIN_TAG], summary: 'Return the whole database to its first-start state', response: { 200: Done } } }, async () => {
    await tenants.resetAll();
    return { success: true };
  });
};
