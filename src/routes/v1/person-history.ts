import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { offsetAdditionalData } from './v1-paging.js';
import { ChangelogEnvelope, ChangelogQuery, FlowEnvelope, FlowQuery, renderChange } from './history.schemas.js';

const tags = ['Persons'];

export const personHistoryRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personHistory } = services;

  app.get('/persons/:id/changelog', { config: { cost: 20, scopes: ['recents:read'] }, schema: { tags, summary: 'List updates about person field values', params: IdParams, querystring: ChangelogQuery, response: { 200: ChangelogEnvelope } } }, async (req) => {
    const { rows, nextCursor } = await personHistory.changelog(req.actor, req.params.id, req.query);
    const data = rows.map((c) => renderChange({ ...c, field_key: c.field_key as string }));
    return { success: true, data, additional_data: { next_cursor: nextCursor } };
  });

  app.get('/persons/:id/flow', { config: { cost: 40, scopes: ['recents:read'] }, schema: { tags, summary: 'List updates about a person', params: IdParams, querystring: FlowQuery, response: { 200: FlowEnvelope } } }, async (req) => {
    const q = req.query;
    const page = await personHistory.flow(req.actor, req.params.id, { start: q.start, limit: q.limit, allChanges: q.all_changes === '1', items: q.items });
    return { success: true, data: page.items, additional_data: offsetAdditionalData(page), related_objects: page.related };
  });
};
