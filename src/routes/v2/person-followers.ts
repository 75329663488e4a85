import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HISTORY } from '../../domain/persons/history-entries.js';
import { CursorListEnvelope, Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const Follower = Type.Object({ user_id: Type.Integer(), add_time: Type.String() });
const FollowerChange = Type.Object({
  action: Type.String({ description: 'added or removed' }),
  actor_user_id: Type.Integer(),
  follower_user_id: Type.Integer(),
  time: Type.String(),
});
const PageQuery = query({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
});
const FollowerParams = Type.Object({ id: Type.Integer({ minimum: 1 }), follower_id: Type.Integer({ minimum: 1, description: 'The user id of the follower' }) });
const AddBody = Type.Object({ user_id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const tags = ['Persons'];

export const personFollowersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personFollowers } = services;

  app.get('/persons/:id/followers', { config: { cost: 10, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'List followers of a person', params: IdParams, querystring: PageQuery, response: { 200: CursorListEnvelope(Follower) } } }, async (req) => {
    const { rows, nextCursor } = await personFollowers.list(req.actor, req.params.id, req.query);
    return { success: true, data: rows.map((f) => ({ user_id: f.user_id, add_time: f.add_time })), additional_data: { next_cursor: nextCursor } };
  });

  app.post('/persons/:id/followers', { config: { cost: 5, scopes: ['contacts:full'] }, schema: { tags, summary: 'Add a follower to a person', params: IdParams, body: AddBody, response: { 201: Envelope(Follower) } } }, async (req, reply) => {
    const follower = await personFollowers.add(req.actor, req.params.id, req.body.user_id);
    return reply.status(201).send({ success: true, data: { user_id: follower.user_id, add_time: follower.add_time } });
  });

  app.delete('/persons/:id/followers/:follower_id', { config: { cost: 3, scopes: ['contacts:full'] }, schema: { tags, summary: 'Delete a follower from a person', params: FollowerParams, response: { 200: Envelope(Type.Object({ user_id: Type.Integer() })) } } }, async (req) => {
    const follower = await personFollowers.removeUser(req.actor, req.params.id, req.params.follower_id);
    return { success: true, data: { user_id: follower.user_id } };
  });

  app.get('/persons/:id/followers/changelog', { config: { cost: 10, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'List followers changelog of a person', params: IdParams, querystring: PageQuery, response: { 200: CursorListEnvelope(FollowerChange) } } }, async (req) => {
    const { rows, nextCursor } = await personFollowers.changelog(req.actor, req.params.id, req.query);
    const data = rows.map((c) => ({
      action: c.kind === HISTORY.followerAdded ? 'added' : 'removed',
      actor_user_id: c.actor_user_id,
      follower_user_id: c.related_id as number,
      time: c.time,
    }));
    return { success: true, data, additional_data: { next_cursor: nextCursor } };
  });
};
