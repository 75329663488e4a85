import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

export const personPermittedUsersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/persons/:id/permittedUsers',
    { config: { cost: 10, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags: ['Persons'], summary: 'List permitted users', params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Array(Type.Integer())) } } },
    async (req) => ({ success: true, data: await services.personPermittedUsers(req.actor, req.params.id) }),
  );
};
