import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ActivityOwnerRecord, ActivityPage } from '../../domain/activities/activities.service.js';
import { renderActivityCollectionItem, renderActivityV1 } from '../../domain/activities/activity-render.js';
import { v1ActivityOwner } from '../../domain/activities/v1-activity-owner.js';
import { Envelope, IdList, IdParams, parseCommaList, parseIdList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { ActivityV1, ActivityV1Body } from './activities.schemas.js';
import { OffsetListEnvelope, OffsetPageParams, offsetAdditionalData } from './v1-paging.js';

const Done = Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '0 = not done, 1 = done; both when omitted' }));

const ListQuery = query({
  ...OffsetPageParams,
  user_id: Type.Optional(Type.Integer({ minimum: 0, description: "The owner; the caller when omitted, every user's when 0" })),
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved activity filter (GET /v1/filters?type=activity); user_id (the caller only when given), type, dates and done narrow it further' })),
  type: Type.Optional(Type.String({ description: 'Type keys, comma-separated' })),
  start_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD: due on or after' })),
  end_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD: due on or before' })),
  done: Done,
});

const CollectionQuery = query({
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  since: Type.Optional(Type.String({ description: 'update_time from (YYYY-MM-DD HH:MM:SS or RFC 3339, UTC)' })),
  until: Type.Optional(Type.String({ description: 'update_time before' })),
  user_id: Type.Optional(Type.Integer({ minimum: 1, description: "The owner; every user's when omitted" })),
  done: Type.Optional(Type.Boolean()),
  type: Type.Optional(Type.String({ description: 'Type keys, comma-separated' })),
});
const CollectionEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ id: Type.Integer() }, { additionalProperties: true })),
  additional_data: Type.Object({ next_cursor: Type.Union([Type.String(), Type.Null()]) }),
});

const RecordListQuery = query({
  ...OffsetPageParams,
  done: Done,
  exclude: Type.Optional(IdList),
});

const tags = ['Activities'];
const READ = ['activities:read', 'activities:full'] as const;
const WRITE = ['activities:full'] as const;

export const ActivityV1Schema = ActivityV1;

export const activitiesV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { activities } = services;
  const ref = Type.Ref(ActivityV1);
  const page = (p: ActivityPage) => ({ success: true, data: p.rows.map((row) => renderActivityV1(row, p.names)) as never, additional_data: offsetAdditionalData(p) });

  app.get('/activities', { config: { cost: 20, scopes: READ }, schema: { tags, summary: "Get a user's activities", querystring: ListQuery, response: { 200: OffsetListEnvelope(ref) } } }, async (req) => {
    const q = req.query;
    const owner = v1ActivityOwner({ userId: q.user_id, filterId: q.filter_id }, req.actor.userId);
    return page(
      await activities.listByOffset(req.actor, { ownerId: owner, types: parseCommaList(q.type), dueFrom: q.start_date, dueTo: q.end_date, done: q.done as 0 | 1 | undefined }, q, undefined, q.filter_id),
    );
  });

  app.get(
    '/activities/collection',
    { config: { cost: 20, scopes: READ }, schema: { tags, summary: 'Get all activities, paged by cursor (admins only)', querystring: CollectionQuery, response: { 200: CollectionEnvelope } } },
    async (req) => {
      const q = req.query;
      const { rows, nextCursor } = await activities.collection(req.actor, { cursor: q.cursor, limit: q.limit, since: q.since, until: q.until, userId: q.user_id, done: q.done, types: parseCommaList(q.type) });
      return { success: true, data: rows.map(renderActivityCollectionItem) as never, additional_data: { next_cursor: nextCursor } };
    },
  );

  app.get('/activities/:id', { config: { cost: 2, scopes: READ }, schema: { tags, summary: 'Get details of an activity', params: IdParams, response: { 200: Envelope(ref) } } }, async (req) => {
    const row = await activities.get(req.actor, req.params.id);
    return { success: true, data: renderActivityV1(row, await activities.names(req.actor, [row])) as never };
  });

  app.post('/activities', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Add an activity', body: ActivityV1Body, response: { 200: Envelope(ref) } } }, async (req) => {
    const row = await activities.create(req.actor, req.body);
    return { success: true, data: renderActivityV1(row, await activities.names(req.actor, [row])) as never };
  });

  app.put('/activities/:id', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Update an activity', params: IdParams, body: ActivityV1Body, response: { 200: Envelope(ref) } } }, async (req) => {
    const row = await activities.update(req.actor, req.params.id, req.body);
    return { success: true, data: renderActivityV1(row, await activities.names(req.actor, [row])) as never };
  });

  app.delete(
    '/activities/:id',
    { config: { cost: 6, scopes: WRITE }, schema: { tags, summary: 'Delete an activity', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } },
    async (req) => {
      await activities.remove(req.actor, req.params.id);
      return { success: true, data: { id: req.params.id } };
    },
  );

  app.delete(
    '/activities',
    {
      config: { cost: 10, scopes: WRITE },
      schema: { tags, summary: 'Delete activities in bulk (all or none)', querystring: query({ ids: IdList }), response: { 200: Envelope(Type.Object({ id: Type.Array(Type.Integer()) })) } },
    },
    async (req) => ({ success: true, data: { id: await activities.removeMany(req.actor, parseIdList(req.query.ids) as number[]) } }),
  );

  const recordList = (path: string, kind: ActivityOwnerRecord, summary: string, scopes: typeof READ) =>
    app.get(path, { config: { cost: 20, scopes }, schema: { tags, summary, params: IdParams, querystring: RecordListQuery, response: { 200: OffsetListEnvelope(ref) } } }, async (req) => {
      const q = req.query as { start?: number; limit?: number; done?: number; exclude?: string };
      const { id } = req.params as { id: number };
      return page(await activities.listByOffset(req.actor, { done: q.done as 0 | 1 | undefined, exclude: parseIdList(q.exclude, 'exclude') }, q, { kind, id }));
    });
  recordList('/persons/:id/activities', 'person', 'List activities associated with a person', READ);
  recordList('/organizations/:id/activities', 'organization', 'List activities associated with an organization', READ);
  recordList('/deals/:id/activities', 'deal', 'List activities associated with a deal', READ);
};
