import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HistoryEntity } from '../../domain/history/record-history.service.js';
import { IdParams } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { ChangelogEnvelope, ChangelogQuery, FlowEnvelope, FlowQuery, renderChange } from './history.schemas.js';
import { offsetAdditionalData } from './v1-paging.js';

const ROUTES: { entity: HistoryEntity; path: string; tag: string }[] = [
  { entity: 'organization', path: 'organizations', tag: 'Organizations' },
  { entity: 'deal', path: 'deals', tag: 'Deals' },
];

/** `GET /v1/organizations|deals/{id}/changelog` and `/flow`, as persons' (person-history.ts). */
export const recordHistoryRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { recordHistory } = services;
  for (const { entity, path, tag } of ROUTES) {
    const tags = [tag];
    app.get(
      `/${path}/:id/changelog`,
      { config: { cost: 20, scopes: ['recents:read'] }, schema: { tags, summary: `List updates about ${entity} field values`, params: IdParams, querystring: ChangelogQuery, response: { 200: ChangelogEnvelope } } },
      async (req) => {
        const { rows, nextCursor } = await recordHistory.changelog(req.actor, entity, req.params.id, req.query);
        return { success: true, data: rows.map(renderChange), additional_data: { next_cursor: nextCursor } };
      },
    );
    app.get(
      `/${path}/:id/flow`,
      { config: { cost: 40, scopes: ['recents:read'] }, schema: { tags, summary: `List updates about ${entity === 'organization' ? 'an organization' : 'a deal'}`, params: IdParams, querystring: FlowQuery, response: { 200: FlowEnvelope } } },
      async (req) => {
        const q = req.query;
        const page = await recordHistory.flow(req.actor, entity, req.params.id, { start: q.start, limit: q.limit, allChanges: q.all_changes === '1', items: q.items });
        return { success: true, data: page.items, additional_data: offsetAdditionalData(page), related_objects: page.related };
      },
    );
  }
};
