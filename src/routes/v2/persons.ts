import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isPlainRender, personRenderOptionsFor, renderPersonV2 } from '../../domain/persons/person-render.js';
import { listText, sendJsonText, successText } from '../../http/envelope.js';
import { IdParams, parseIdList } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { WriteQuery, duplicatePolicyOf } from './person-identity.schemas.js';
import {
  DeletedEnvelope,
  GetPersonQuery,
  ListPersonsQuery,
  PersonBody,
  PersonEnvelope,
  PersonListEnvelope,
} from './persons.schemas.js';

const tags = ['Persons'];

export const personsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { persons, personFields } = services;

  app.get('/persons', { config: { cost: 10, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'Get all persons', querystring: ListPersonsQuery, response: { 200: PersonListEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const options = await personRenderOptionsFor(q, () => personFields.definitions(req.actor));
    const request = {
      filterId: q.filter_id,
      labelId: q.label_id,
      ids: parseIdList(q.ids),
      ownerId: q.owner_id,
      orgId: q.org_id,
      dealId: q.deal_id,
      updatedSince: q.updated_since,
      updatedUntil: q.updated_until,
      sortBy: q.sort_by,
      direction: q.sort_direction,
      limit: q.limit,
      cursor: q.cursor,
    };
    if (isPlainRender(options)) {
      const { docs, nextCursor } = await persons.listDocs(req.actor, request);
      return sendJsonText(reply, listText(docs, nextCursor));
    }
    const { rows, nextCursor } = await persons.list(req.actor, request);
    options.counts = await services.personCounts(req.actor, rows, options.includeFields);
    return sendJsonText(reply, listText(rows.map((row) => renderPersonV2(row, options)), nextCursor));
  });

  app.get('/persons/:id', { config: { cost: 1, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'Get details of a person', params: IdParams, querystring: GetPersonQuery, response: { 200: PersonEnvelope } } }, async (req, reply) => {
    const options = await personRenderOptionsFor(req.query, () => personFields.definitions(req.actor));
    const row = await persons.get(req.actor, req.params.id);
    options.counts = await services.personCounts(req.actor, [row], options.includeFields);
    return sendJsonText(reply, successText(renderPersonV2(row, options)));
  });

  app.post('/persons', { config: { cost: 5, scopes: ['contacts:full'] }, schema: { tags, summary: 'Add a person', querystring: WriteQuery, body: PersonBody, response: { 200: PersonEnvelope } } }, async (req, reply) => {
    const { row, outcome } = await persons.createWithOutcome(req.actor, req.body, { duplicatePolicy: duplicatePolicyOf(req) });
    // personsd's own: says whether `upsert` updated an existing person instead of creating one.
    if (outcome === 'updated') reply.header('x-personsd-upserted', String(row.id));
    return sendJsonText(reply, successText(renderPersonV2(row)));
  });

  app.patch('/persons/:id', { config: { cost: 5, scopes: ['contacts:full'] }, schema: { tags, summary: 'Update a person', params: IdParams, querystring: WriteQuery, body: PersonBody, response: { 200: PersonEnvelope } } }, async (req, reply) => {
    const row = await persons.update(req.actor, req.params.id, req.body, { duplicatePolicy: duplicatePolicyOf(req) });
    return sendJsonText(reply, successText(renderPersonV2(row)));
  });

  app.delete('/persons/:id', { config: { cost: 3, scopes: ['contacts:full'] }, schema: { tags, summary: 'Delete a person (soft; purged after 30 days)', params: IdParams, response: { 200: DeletedEnvelope } } }, async (req) => {
    return { success: true, data: await persons.remove(req.actor, req.params.id) };
  });
};
