import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { toV1Time } from '../../domain/time.js';
import { IdParams, Nullable, StringEnum, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { OffsetPageParams, Pagination, offsetAdditionalData } from './v1-paging.js';

const ChangelogQuery = query({
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'Offset, for clients that page by offset; ignored with cursor' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
});
const Change = Type.Object({
  field_key: Type.String(),
  old_value: Nullable(Type.String()),
  new_value: Nullable(Type.String()),
  actor_user_id: Type.Integer(),
  time: Type.String(),
  change_source: Nullable(Type.String()),
  change_source_user_agent: Nullable(Type.String()),
  is_bulk_update_flag: Type.Boolean(),
});
const ChangelogEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Change),
  additional_data: Type.Object({ next_cursor: Nullable(Type.String()) }),
});

const FlowQuery = query({
  ...OffsetPageParams,
  all_changes: Type.Optional(StringEnum(['0', '1'], { description: '1 includes custom field changes' })),
  items: Type.Optional(Type.String({ description: 'Comma-separated update types, e.g. personChange,deal,personFollower,personMerge' })),
});
const ById = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
const FlowEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ object: Type.String(), timestamp: Type.String(), data: Type.Object({}, { additionalProperties: true }) })),
  additional_data: Type.Object({ pagination: Pagination }),
  related_objects: Type.Object({ user: ById, person: ById, organization: ById, deal: ById }),
});
const tags = ['Persons'];

export const personHistoryRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personHistory } = services;

  app.get('/persons/:id/changelog', { config: { cost: 20, scopes: ['recents:read'] }, schema: { tags, summary: 'List updates about person field values', params: IdParams, querystring: ChangelogQuery, response: { 200: ChangelogEnvelope } } }, async (req) => {
    const { rows, nextCursor } = await personHistory.changelog(req.actor, req.params.id, req.query);
    const data = rows.map((c) => ({
      field_key: c.field_key as string,
      old_value: c.old_value,
      new_value: c.new_value,
      actor_user_id: c.actor_user_id,
      time: toV1Time(c.time) as string,
      change_source: c.change_source,
      change_source_user_agent: c.change_source_user_agent,
      is_bulk_update_flag: false,
    }));
    return { success: true, data, additional_data: { next_cursor: nextCursor } };
  });

  app.get('/persons/:id/flow', { config: { cost: 40, scopes: ['recents:read'] }, schema: { tags, summary: 'List updates about a person', params: IdParams, querystring: FlowQuery, response: { 200: FlowEnvelope } } }, async (req) => {
    const q = req.query;
    const page = await personHistory.flow(req.actor, req.params.id, { start: q.start, limit: q.limit, allChanges: q.all_changes === '1', items: q.items });
    return { success: true, data: page.items, additional_data: offsetAdditionalData(page), related_objects: page.related };
  });
};
