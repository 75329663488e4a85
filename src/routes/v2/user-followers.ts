import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CursorListEnvelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const PageQuery = query({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
});

/** Users do not follow users in personsd, so a user's followers are always none (the user must exist). */
export const userFollowersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/users/:id/followers', { config: { cost: 10, scopes: ['users:read'] }, schema: { tags: ['Users'], summary: 'List followers of a user (always empty in personsd)', params: IdParams, querystring: PageQuery, response: { 200: CursorListEnvelope(Type.Object({ user_id: Type.Integer(), add_time: Type.String() })) } } }, async (req) => {
    await services.userAccess.followers(req.actor, req.params.id);
    return { success: true, data: [], additional_data: { next_cursor: null } };
  });
};
