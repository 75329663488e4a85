import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FollowedEntity } from '../../domain/record-followers/record-followers.service.js';
import { CursorListEnvelope, Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { followersRouteSettings } from '../followers-route-settings.js';

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

/** Followers of organizations or deals (v2), as persons' followers are served. */
export const recordFollowersRoutes: FastifyPluginAsyncTypebox<{ services: Services; entity: FollowedEntity }> = async (app, { services, entity }) => {
  const { service, path, one, read, write, tag } = followersRouteSettings(services, entity);
  const tags = [tag];

  app.get(`/${path}/:id/followers`, { config: { cost: 10, scopes: read }, schema: { tags, summary: `List followers of ${one}`, params: IdParams, querystring: PageQuery, response: { 200: CursorListEnvelope(Follower) } } }, async (req) => {
    const { rows, nextCursor } = await service.list(req.actor, req.params.id, req.query);
    return { success: true, data: rows.map((f) => ({ user_id: f.user_id, add_time: f.add_time })), additional_data: { next_cursor: nextCursor } };
  });

  app.post(`/${path}/:id/followers`, { config: { cost: 5, scopes: write }, schema: { tags, summary: `Add a follower to ${one}`, params: IdParams, body: AddBody, response: { 201: Envelope(Follower) } } }, async (req, reply) => {
    const follower = await service.add(req.actor, req.params.id, req.body.user_id);
    return reply.status(201).send({ success: true, data: { user_id: follower.user_id, add_time: follower.add_time } });
  });

  app.delete(`/${path}/:id/followers/:follower_id`, { config: { cost: 3, scopes: write }, schema: { tags, summary: `Delete a follower from ${one}`, params: FollowerParams, response: { 200: Envelope(Type.Object({ user_id: Type.Integer() })) } } }, async (req) => {
    const follower = await service.remove(req.actor, req.params.id, { userId: req.params.follower_id });
    return { success: true, data: { user_id: follower.user_id } };
  });

  app.get(`/${path}/:id/followers/changelog`, { config: { cost: 10, scopes: read }, schema: { tags, summary: `List followers changelog of ${one}`, params: IdParams, querystring: PageQuery, response: { 200: CursorListEnvelope(FollowerChange) } } }, async (req) => {
    const { rows, nextCursor } = await service.changelog(req.actor, req.params.id, req.query);
    const data = rows.map((c) => ({ action: c.action, actor_user_id: c.actor_user_id, follower_user_id: c.follower_user_id, time: c.time }));
    return { success: true, data, additional_data: { next_cursor: nextCursor } };
  });
};
