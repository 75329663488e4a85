import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { toV1Time } from '../../domain/time.js';
import type { FollowerRow } from '../../store/repositories/person-followers.repository.js';
import { Envelope, IdParams, query } from '../../http/schemas.js';
import { OffsetPageQuery, offsetAdditionalData, OffsetListEnvelope } from './v1-paging.js';
import type { Services } from '../../app/services.js';

const Follower = Type.Object({ user_id: Type.Integer(), id: Type.Integer({ description: 'The id of the relationship' }), person_id: Type.Integer(), add_time: Type.String() });
const FollowerParams = Type.Object({ id: Type.Integer({ minimum: 1 }), follower_id: Type.Integer({ minimum: 1, description: 'The id of the relationship' }) });
const AddBody = Type.Object({ user_id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const tags = ['Persons'];

const renderFollower = (f: FollowerRow) => ({ user_id: f.user_id, id: f.id, person_id: f.person_id, add_time: toV1Time(f.add_time) as string });

export const personFollowersV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personFollowers } = services;

  app.get('/persons/:id/followers', { config: { cost: 20, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'List followers of a person', params: IdParams, querystring: OffsetPageQuery, response: { 200: OffsetListEnvelope(Follower) } } }, async (req) => {
    const page = await personFollowers.listFrom(req.actor, req.params.id, req.query);
    return { success: true, data: page.rows.map(renderFollower), additional_data: offsetAdditionalData(page) };
  });

  // Pipedrive's v1 answered an existing follower with 200 and the relationship, not an error; so does this.
  app.post('/persons/:id/followers', { config: { cost: 10, scopes: ['contacts:full'] }, schema: { tags, summary: 'Add a follower to a person', params: IdParams, body: AddBody, querystring: query({}), response: { 200: Envelope(Follower) } } }, async (req) => {
    return { success: true, data: renderFollower(await personFollowers.add(req.actor, req.params.id, req.body.user_id, 'existing')) };
  });

  app.delete('/persons/:id/followers/:follower_id', { config: { cost: 6, scopes: ['contacts:full'] }, schema: { tags, summary: 'Delete a follower from a person', params: FollowerParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    const follower = await personFollowers.removeRelationship(req.actor, req.params.id, req.params.follower_id);
    return { success: true, data: { id: follower.id } };
  });
};
