import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { pictureUrls } from '../../domain/persons/picture-render.js';
import { sendJsonText } from '../../http/envelope.js';
import { requestOrigin } from '../../http/origin.js';
import { IdParams, parseCommaList, parseIdList } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { WriteQuery, duplicatePolicyOf } from '../v2/person-identity.schemas.js';
import { offsetAdditionalData } from './v1-paging.js';
import {
  BulkDeleteQuery,
  BulkDeletedEnvelope,
  DeletedV1Envelope,
  ListPersonsV1Query,
  PersonDealsEnvelope,
  PersonDealsQuery,
  PersonV1Body,
  PersonV1Envelope,
  PersonV1ListEnvelope,
  PersonsCollectionEnvelope,
  PersonsCollectionQuery,
  SearchPersonsV1Query,
  SearchV1Envelope,
  v1Boolean,
} from './persons.schemas.js';

const tags = ['Persons'];
const read = ['contacts:read', 'contacts:full'] as const;
const write = ['contacts:full'] as const;
const urlsFor = (req: FastifyRequest) => (personId: number) => pictureUrls(requestOrigin(req), personId);
// v1 answers an empty page with `data: null`.
const listData = (items: unknown[]) => (items.length === 0 ? null : items);

/** The v1 persons API (legacy clients); every call goes to the same services as v2, through PersonsV1Service. */
export const personsV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personsV1 } = services;

  app.get('/persons', { config: { cost: 20, scopes: [...read] }, schema: { tags, summary: 'Get all persons', querystring: ListPersonsV1Query, response: { 200: PersonV1ListEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await personsV1.list(req.actor, { start: q.start, limit: q.limit, userId: q.user_id, orgId: q.org_id, firstChar: q.first_char, sort: q.sort, filterId: q.filter_id }, urlsFor(req));
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.items), additional_data: offsetAdditionalData(page), related_objects: page.related }));
  });

  app.get('/persons/search', { config: { cost: 40, scopes: [...read, 'search:read'] }, schema: { tags, summary: 'Search persons', querystring: SearchPersonsV1Query, response: { 200: SearchV1Envelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await personsV1.search(req.actor, {
      term: q.term,
      fields: parseCommaList(q.fields),
      exactMatch: v1Boolean(q.exact_match),
      organizationId: q.organization_id,
      includeFields: parseCommaList(q.include_fields),
      start: q.start,
      limit: q.limit,
    });
    return sendJsonText(reply, JSON.stringify({ success: true, data: { items: page.items }, additional_data: offsetAdditionalData(page) }));
  });

  app.get('/persons/collection', { config: { cost: 20, scopes: [...read] }, schema: { tags, summary: 'Get all persons, paged by cursor (admins only)', querystring: PersonsCollectionQuery, response: { 200: PersonsCollectionEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await personsV1.collection(req.actor, { cursor: q.cursor, limit: q.limit, since: q.since, until: q.until, ownerId: q.owner_id, firstChar: q.first_char });
    return sendJsonText(reply, JSON.stringify({ success: true, data: page.items, additional_data: { next_cursor: page.nextCursor } }));
  });

  app.get('/persons/:id', { config: { cost: 2, scopes: [...read] }, schema: { tags, summary: 'Get details of a person', params: IdParams, response: { 200: PersonV1Envelope } } }, async (req, reply) => {
    const view = await personsV1.get(req.actor, req.params.id, urlsFor(req));
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.get('/persons/:id/deals', { config: { cost: 20, scopes: ['deals:read', 'deals:full'] }, schema: { tags, summary: 'List deals associated with a person', params: IdParams, querystring: PersonDealsQuery, response: { 200: PersonDealsEnvelope } } }, async (req, reply) => {
    const page = await personsV1.dealsOf(req.actor, req.params.id, req.query);
    const related = { user: page.related.user, person: page.related.person, organization: page.related.organization };
    return sendJsonText(reply, JSON.stringify({ success: true, data: listData(page.items), additional_data: offsetAdditionalData(page), related_objects: related }));
  });

  // v1 answered a create with 201.
  app.post('/persons', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Add a person', querystring: WriteQuery, body: PersonV1Body, response: { 201: PersonV1Envelope } } }, async (req, reply) => {
    const view = await personsV1.create(req.actor, req.body, { duplicatePolicy: duplicatePolicyOf(req) }, urlsFor(req));
    if (view.outcome === 'updated') reply.header('x-personsd-upserted', String(view.id));
    reply.code(201);
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.put('/persons/:id', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Update a person', params: IdParams, querystring: WriteQuery, body: PersonV1Body, response: { 200: PersonV1Envelope } } }, async (req, reply) => {
    const view = await personsV1.update(req.actor, req.params.id, req.body, { duplicatePolicy: duplicatePolicyOf(req) }, urlsFor(req));
    return sendJsonText(reply, JSON.stringify({ success: true, data: view.items[0], related_objects: view.related }));
  });

  app.delete('/persons/:id', { config: { cost: 6, scopes: [...write] }, schema: { tags, summary: 'Delete a person (soft; purged after 30 days)', params: IdParams, response: { 200: DeletedV1Envelope } } }, async (req) => {
    return { success: true, data: await personsV1.remove(req.actor, req.params.id) };
  });

  app.delete('/persons', { config: { cost: 10, scopes: [...write] }, schema: { tags, summary: 'Delete multiple persons in bulk (all or none)', querystring: BulkDeleteQuery, response: { 200: BulkDeletedEnvelope } } }, async (req) => {
    return { success: true, data: await personsV1.removeMany(req.actor, parseIdList(req.query.ids) ?? []) };
  });
};
