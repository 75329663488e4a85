import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { pictureUrls } from '../../domain/persons/picture-render.js';
import { sendJsonText } from '../../http/envelope.js';
import { requestOrigin } from '../../http/origin.js';
import { IdParams, parseCommaList, parseIdList } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { DealV1ListEnvelope } from './deals.schemas.js';
import {
  ListOrganizationsV1Query,
  OrganizationDealsQuery,
  OrganizationMergeBody,
  OrganizationPersonsEnvelope,
  OrganizationPersonsQuery,
  OrganizationV1Body,
  OrganizationV1Envelope,
  OrganizationV1ListEnvelope,
  SearchOrganizationsV1Query,
} from './organizations.schemas.js';
import { BulkDeleteQuery, BulkDeletedEnvelope, DeletedV1Envelope, SearchV1Envelope, v1Boolean } from './persons.schemas.js';
import { offsetAdditionalData } from './v1-paging.js';

const tags = ['Organizations'];
const read = ['contacts:read', 'contacts:full'] as const;
const write = ['contacts:full'] as const;
const urlsFor = (req: FastifyRequest) => (personId: number) => pictureUrls(requestOrigin(req), personId);
// v1 answers an empty page with `data: null`.
const listData = (items: unknown[]) => (items.length === 0 ? null : items);

/** The v1 organizations API (legacy clients); every call goes to the same services as v2, through OrganizationsV1Service. */
export const organizationsV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { organizationsV1 } = services;

  app.get('/organizations', { config: { cost: 20, scopes: [...read] }, schema: { tags, summary: 'Get all organizations', querystring: ListOrganizationsV1Query, response: { 200: OrganizationV1ListEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await organizationsV1.list(req.actor, { start: q.start, limit: q.limit, userId: q.user_id, firstChar: q.first_char, sort: q.sort, filterId: q.filter_id });
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.view.items), additional_data: offsetAdditionalData(page), related_objects: page.view.related }));
  });

  app.get('/organizations/search', { config: { cost: 40, scopes: [...read, 'search:read'] }, schema: { tags, summary: 'Search organizations', querystring: SearchOrganizationsV1Query, response: { 200: SearchV1Envelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await organizationsV1.search(req.actor, { term: q.term, fields: parseCommaList(q.fields), exactMatch: v1Boolean(q.exact_match), start: q.start, limit: q.limit });
    return sendJsonText(reply, JSON.stringify({ success: true, data: { items: page.items }, additional_data: offsetAdditionalData(page) }));
  });

  app.get('/organizations/:id', { config: { cost: 2, scopes: [...read] }, schema: { tags, summary: 'Get details of an organization', params: IdParams, response: { 200: OrganizationV1Envelope } } }, async (req, reply) => {
    const view = await organizationsV1.get(req.actor, req.params.id);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.get('/organizations/:id/persons', { config: { cost: 20, scopes: [...read] }, schema: { tags, summary: 'List persons of an organization', params: IdParams, querystring: OrganizationPersonsQuery, response: { 200: OrganizationPersonsEnvelope } } }, async (req, reply) => {
    const page = await organizationsV1.personsOf(req.actor, req.params.id, req.query, urlsFor(req));
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.view.items), additional_data: offsetAdditionalData(page), related_objects: page.view.related }));
  });

  app.get('/organizations/:id/deals', { config: { cost: 20, scopes: ['deals:read', 'deals:full'] }, schema: { tags, summary: 'List deals associated with an organization', params: IdParams, querystring: OrganizationDealsQuery, response: { 200: DealV1ListEnvelope } } }, async (req, reply) => {
    const { only_primary_association: _primary, ...request } = req.query;
    const page = await organizationsV1.dealsOf(req.actor, req.params.id, request);
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.items), additional_data: offsetAdditionalData(page), related_objects: page.related }));
  });

  // v1 answered a create with 201.
  app.post('/organizations', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Add an organization', body: OrganizationV1Body, response: { 201: OrganizationV1Envelope } } }, async (req, reply) => {
    const view = await organizationsV1.create(req.actor, req.body);
    reply.code(201);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.put('/organizations/:id', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Update an organization', params: IdParams, body: OrganizationV1Body, response: { 200: OrganizationV1Envelope } } }, async (req, reply) => {
    const view = await organizationsV1.update(req.actor, req.params.id, req.body);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.put('/organizations/:id/merge', { config: { cost: 40, scopes: [...write] }, schema: { tags, summary: 'Merge two organizations', params: IdParams, body: OrganizationMergeBody, response: { 200: OrganizationV1Envelope } } }, async (req, reply) => {
    const view = await organizationsV1.merge(req.actor, req.params.id, req.body.merge_with_id);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.delete('/organizations/:id', { config: { cost: 6, scopes: [...write] }, schema: { tags, summary: 'Delete an organization (soft; purged after 30 days)', params: IdParams, response: { 200: DeletedV1Envelope } } }, async (req) => {
    return { success: true, data: await organizationsV1.remove(req.actor, req.params.id) };
  });

  app.delete('/organizations', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Delete multiple organizations in bulk (all or none)', querystring: BulkDeleteQuery, response: { 200: BulkDeletedEnvelope } } }, async (req) => {
    return { success: true, data: await organizationsV1.removeMany(req.actor, parseIdList(req.query.ids) ?? []) };
  });
};
