import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FollowedEntity } from '../../domain/record-followers/record-followers.service.js';
import { toV1Time } from '../../domain/time.js';
import type { RecordFollowerRow } from '../../store/repositories/record-followers.repository.js';
import { Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { followersRouteSettings } from '../followers-route-settings.js';
import { OffsetListEnvelope, OffsetPageQuery, offsetAdditionalData } from './v1-paging.js';

const FollowerParams = Type.Object({ id: Type.Integer({ minimum: 1 }), follower_id: Type.Integer({ minimum: 1, description: 'The id of the relationship' }) });
const AddBody = Type.Object({ user_id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

/** Followers of organizations or deals (v1): the relationship id names a follower, an existing follower is a 200. */
export const recordFollowersV1Routes: FastifyPluginAsyncTypebox<{ services: Services; entity: FollowedEntity }> = async (app, { services, entity }) => {
  const { service, path, one, read, write, tag } = followersRouteSettings(services, entity);
  const tags = [tag];
  const link = entity === 'organization' ? 'org_id' : 'deal_id';
  const Follower = Type.Object({ [link]: Type.Integer(), user_id: Type.Integer(), id: Type.Integer({ description: 'The id of the relationship' }), add_time: Type.String() });
  const render = (f: RecordFollowerRow) => ({ [link]: f[link] as number, user_id: f.user_id, id: f.id, add_time: toV1Time(f.add_time) as string });

  app.get(`/${path}/:id/followers`, { config: { cost: 20, scopes: read }, schema: { tags, summary: `List followers of ${one}`, params: IdParams, querystring: OffsetPageQuery, response: { 200: OffsetListEnvelope(Follower) } } }, async (req) => {
    const page = await service.listFrom(req.actor, req.params.id, req.query);
    return { success: true, data: page.rows.map(render), additional_data: offsetAdditionalData(page) };
  });

  app.post(`/${path}/:id/followers`, { config: { cost: 10, scopes: write }, schema: { tags, summary: `Add a follower to ${one}`, params: IdParams, body: AddBody, querystring: query({}), response: { 200: Envelope(Follower) } } }, async (req) => {
    return { success: true, data: render(await service.add(req.actor, req.params.id, req.body.user_id, 'existing')) };
  });

  app.delete(`/${path}/:id/followers/:follower_id`, { config: { cost: 6, scopes: write }, schema: { tags, summary: `Delete a follower from ${one}`, params: FollowerParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    const follower = await service.remove(req.actor, req.params.id, { id: req.params.follower_id });
    return { success: true, data: { id: follower.id } };
  });
};
