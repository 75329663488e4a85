import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { pictureUrls } from '../../domain/persons/picture-render.js';
import { sendJsonText } from '../../http/envelope.js';
import { requestOrigin } from '../../http/origin.js';
import { IdParams, parseCommaList, parseIdList } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { DealMergeBody, DealPersonsQuery, DealV1Body, DealV1Envelope, DealV1ListEnvelope, ListDealsV1Query, SearchDealsV1Query } from './deals.schemas.js';
import { OrganizationPersonsEnvelope } from './organizations.schemas.js';
import { BulkDeleteQuery, BulkDeletedEnvelope, DeletedV1Envelope, SearchV1Envelope, v1Boolean } from './persons.schemas.js';
import { offsetAdditionalData } from './v1-paging.js';

const tags = ['Deals'];
const read = ['deals:read', 'deals:full'] as const;
const write = ['deals:full'] as const;
const urlsFor = (req: FastifyRequest) => (personId: number) => pictureUrls(requestOrigin(req), personId);
// v1 answers an empty page with `data: null`.
const listData = (items: unknown[]) => (items.length === 0 ? null : items);

/** The v1 deals API (legacy clients); every call goes to the same services as v2, through DealsV1Service. */
export const dealsV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { dealsV1, personsV1 } = services;

  app.get('/deals', { config: { cost: 20, scopes: [...read] }, schema: { tags, summary: 'Get all deals', querystring: ListDealsV1Query, response: { 200: DealV1ListEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await dealsV1.list(req.actor, { start: q.start, limit: q.limit, userId: q.user_id, ownedByYou: q.owned_by_you === '1', status: q.status, sort: q.sort, filterId: q.filter_id, stageId: q.stage_id });
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.items), additional_data: offsetAdditionalData(page), related_objects: page.related }));
  });

  app.get('/deals/search', { config: { cost: 40, scopes: [...read, 'search:read'] }, schema: { tags, summary: 'Search deals', querystring: SearchDealsV1Query, response: { 200: SearchV1Envelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await dealsV1.search(req.actor, {
      term: q.term,
      fields: parseCommaList(q.fields),
      exactMatch: v1Boolean(q.exact_match),
      personId: q.person_id,
      organizationId: q.organization_id,
      status: q.status,
      includeFields: parseCommaList(q.include_fields),
      start: q.start,
      limit: q.limit,
    });
    return sendJsonText(reply, JSON.stringify({ success: true, data: { items: page.items }, additional_data: offsetAdditionalData(page) }));
  });

  app.get('/deals/:id', { config: { cost: 2, scopes: [...read] }, schema: { tags, summary: 'Get details of a deal', params: IdParams, response: { 200: DealV1Envelope } } }, async (req, reply) => {
    const view = await dealsV1.get(req.actor, req.params.id);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.get('/deals/:id/persons', { config: { cost: 20, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'List the persons of a deal', params: IdParams, querystring: DealPersonsQuery, response: { 200: OrganizationPersonsEnvelope } } }, async (req, reply) => {
    const page = await personsV1.personsOfDeal(req.actor, req.params.id, req.query, urlsFor(req));
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.items), additional_data: offsetAdditionalData(page), related_objects: page.related }));
  });

  // v1 answered a create with 201.
  app.post('/deals', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Add a deal', body: DealV1Body, response: { 201: DealV1Envelope } } }, async (req, reply) => {
    const view = await dealsV1.create(req.actor, req.body);
    reply.code(201);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.put('/deals/:id', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Update a deal', params: IdParams, body: DealV1Body, response: { 200: DealV1Envelope } } }, async (req, reply) => {
    const view = await dealsV1.update(req.actor, req.params.id, req.body);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.put('/deals/:id/merge', { config: { cost: 40, scopes: [...write] }, schema: { tags, summary: 'Merge two deals', params: IdParams, body: DealMergeBody, response: { 200: DealV1Envelope } } }, async (req, reply) => {
    const view = await dealsV1.merge(req.actor, req.params.id, req.body.merge_with_id);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.delete('/deals/:id', { config: { cost: 6, scopes: [...write] }, schema: { tags, summary: 'Delete a deal (soft; purged after 30 days)', params: IdParams, response: { 200: DeletedV1Envelope } } }, async (req) => {
    return { success: true, data: await dealsV1.remove(req.actor, req.params.id) };
  });

  app.delete('/deals', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Delete multiple deals in bulk (all or none)', querystring: BulkDeleteQuery, response: { 200: BulkDeletedEnvelope } } }, async (req) => {
    return { success: true, data: await dealsV1.removeMany(req.actor, parseIdList(req.query.ids) ?? []) };
  });
};
