import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { type TSchema, Type } from '@sinclair/typebox';
import { sendJsonText } from '../../http/envelope.js';
import { CursorAdditionalData, Nullable, StringEnum, parseCommaList, query } from '../../http/schemas.js';
import type { CursorPage } from '../../domain/search/search.service.js';
import type { SearchItem } from '../../domain/search/search-render.js';
import type { Services } from '../../app/services.js';

const searchParameters = (fields: string) => ({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  fields: Type.Optional(Type.String({ description: `Comma-separated: ${fields} (default all)` })),
  exact_match: Type.Optional(Type.Boolean({ description: 'Only whole values equal to the term (case- and accent-insensitive)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
});

const PersonSearchQuery = query({
  ...searchParameters('name, email, phone, notes, custom_fields'),
  organization_id: Type.Optional(Type.Integer({ minimum: 1, description: "Only the organization's persons (at most 2,000 considered)" })),
  include_fields: Type.Optional(Type.String({ description: 'person.picture' })),
});

const OrganizationSearchQuery = query(searchParameters('name, address, custom_fields, notes'));

const DealSearchQuery = query({
  ...searchParameters('title, notes, custom_fields'),
  person_id: Type.Optional(Type.Integer({ minimum: 1, description: "Only the person's deals" })),
  organization_id: Type.Optional(Type.Integer({ minimum: 1, description: "Only the organization's deals" })),
  status: Type.Optional(StringEnum(['open', 'won', 'lost'], { description: 'Only deals with this status' })),
  include_fields: Type.Optional(Type.String({ description: 'deal.cc_email (accepted; personsd has no deal mailboxes)' })),
});

/** The item shape of the search endpoints (v2 persons/search and organizations/search, v1 itemSearch). */
export const SearchItemSchema = Type.Object({
  result_score: Type.Number(),
  item: Type.Object(
    {
      id: Type.Integer(),
      type: Type.String(),
      name: Type.String(),
      phones: Type.Optional(Type.Array(Type.String())),
      emails: Type.Optional(Type.Array(Type.String())),
      address: Type.Optional(Nullable(Type.String())),
      visible_to: Type.Integer(),
      owner: Type.Object({ id: Type.Integer() }),
      organization: Type.Optional(Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), address: Nullable(Type.String()) }))),
      custom_fields: Type.Array(Type.String(), { description: 'Values of searched custom fields that contain the term' }),
      notes: Type.Array(Type.String(), { description: 'The notes, when they contain the term' }),
    },
    { additionalProperties: true },
  ),
});

/** A deal as deals/search and item search list it. */
export const DealItem = Type.Object({
  id: Type.Integer(),
  type: Type.Literal('deal'),
  title: Type.String(),
  value: Type.Number(),
  currency: Type.String(),
  status: Type.String(),
  visible_to: Type.Integer(),
  owner: Type.Object({ id: Type.Integer() }),
  stage: Type.Null({ description: 'personsd has no pipelines or stages' }),
  person: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() }, { description: 'null also when the caller may not see the person' })),
  organization: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), address: Nullable(Type.String()) }, { description: 'null also when the caller may not see the organization' })),
  custom_fields: Type.Array(Type.String()),
  notes: Type.Array(Type.String()),
  is_archived: Type.Boolean(),
});

const DealSearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ items: Type.Array(Type.Object({ result_score: Type.Number(), item: DealItem })) }),
  additional_data: CursorAdditionalData,
});

const SearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ items: Type.Array(SearchItemSchema) }),
  additional_data: CursorAdditionalData,
});

/** The parameters both searches share, as the service takes them. */
function searchRequest(q: { term: string; fields?: string; exact_match?: boolean; limit?: number; cursor?: string }) {
  return { term: q.term, fields: parseCommaList(q.fields), exactMatch: q.exact_match, limit: q.limit, cursor: q.cursor };
}

const sendPage = (reply: FastifyReply, page: CursorPage<SearchItem>) =>
  sendJsonText(reply, JSON.stringify({ success: true, data: { items: page.items }, additional_data: { next_cursor: page.nextCursor } }));

/** v2 persons/search, organizations/search and deals/search. */
export const searchRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const schema = <Q extends TSchema>(tag: string, summary: string, description: string, querystring: Q, envelope: TSchema = SearchEnvelope) => ({
    tags: [tag],
    summary,
    description,
    querystring,
    response: { 200: envelope },
  });

  app.get(
    '/persons/search',
    {
      config: { cost: 20, scopes: ['contacts:read', 'contacts:full', 'search:read'] },
      schema: schema('Persons', 'Search persons', 'By a fragment of a name, email, phone (digits, any formatting), notes or searchable custom field; best matches first.', PersonSearchQuery),
    },
    async (req, reply) => {
      const q = req.query;
      const request = { ...searchRequest(q), organizationId: q.organization_id, includeFields: parseCommaList(q.include_fields) };
      return sendPage(reply, await services.search.searchPersons(req.actor, request));
    },
  );

  app.get(
    '/organizations/search',
    {
      config: { cost: 20, scopes: ['contacts:read', 'contacts:full', 'search:read'] },
      schema: schema(
        'Organizations',
        'Search organizations',
        'By a fragment of a name or address; best matches first. personsd keeps no organization notes or custom fields, so those fields match nothing.',
        OrganizationSearchQuery,
      ),
    },
    async (req, reply) => sendPage(reply, await services.search.searchOrganizations(req.actor, searchRequest(req.query))),
  );

  app.get(
    '/deals/search',
    {
      config: { cost: 20, scopes: ['deals:read', 'deals:full', 'search:read'] },
      schema: schema(
        'Deals',
        'Search deals',
        'By a fragment of the title; best matches first. personsd keeps no deal notes or custom fields, so those fields match nothing.',
        DealSearchQuery,
        DealSearchEnvelope,
      ),
    },
    async (req, reply) => {
      const q = req.query;
      const request = { ...searchRequest(q), personId: q.person_id, organizationId: q.organization_id, status: q.status, includeFields: parseCommaList(q.include_fields) };
      return sendPage(reply, await services.search.searchDeals(req.actor, request));
    },
  );
};
