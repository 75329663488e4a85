import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderUserV1 } from '../../domain/users/user-render.js';
import { Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { OffsetListEnvelope, OffsetPageQuery, offsetAdditionalData } from './v1-paging.js';

const UpdateUserBody = Type.Object({ active_flag: Type.Boolean({ description: 'false deactivates the user (their tokens stop working)' }) }, { additionalProperties: false });
const RoleAssignment = Type.Object({
  user_id: Type.Integer(),
  role_id: Type.Integer({ description: "The user's visibility group" }),
  parent_role_id: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  active_flag: Type.Boolean(),
  type: Type.String(),
});
const tags = ['Users'];

/** A user's activation, followers, permissions and role (v1), answered from what personsd models. */
export const userAccessRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { userAccess } = services;

  app.put('/users/:id', { config: { cost: 10, scopes: ['admin'] }, schema: { tags, summary: 'Update user details (active_flag only; admins only)', params: IdParams, body: UpdateUserBody, response: { 200: Envelope(Type.Ref('UserV1')) } } }, async (req) => {
    return { success: true, data: renderUserV1(await userAccess.setActive(req.actor, req.params.id, req.body.active_flag), req.actor) };
  });

  app.get('/users/:id/followers', { config: { cost: 20, scopes: ['users:read'] }, schema: { tags, summary: 'List followers of a user (users cannot follow users in personsd: always empty)', params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Array(Type.Integer())) } } }, async (req) => {
    return { success: true, data: await userAccess.followers(req.actor, req.params.id) };
  });

  app.get('/users/:id/permissions', { config: { cost: 10, scopes: ['users:read'] }, schema: { tags, summary: 'List user permissions', params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Record(Type.String(), Type.Boolean())) } } }, async (req) => {
    return { success: true, data: await userAccess.permissions(req.actor, req.params.id) };
  });

  app.get('/users/:id/roleAssignments', { config: { cost: 10, scopes: ['users:read'] }, schema: { tags, summary: "List role assignments (the user's visibility group)", params: IdParams, querystring: OffsetPageQuery, response: { 200: OffsetListEnvelope(RoleAssignment) } } }, async (req) => {
    const start = req.query.start ?? 0;
    const limit = req.query.limit ?? 100;
    const all = await userAccess.roleAssignments(req.actor, req.params.id);
    const more = all.length > start + limit;
    return { success: true, data: all.slice(start, start + limit), additional_data: offsetAdditionalData({ start, limit, more }) };
  });

  app.get('/users/:id/roleSettings', { config: { cost: 10, scopes: ['users:read'] }, schema: { tags, summary: 'List user role settings (default visibility of new records)', params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Record(Type.String(), Type.Number())) } } }, async (req) => {
    return { success: true, data: await userAccess.roleSettings(req.actor, req.params.id) };
  });
};
