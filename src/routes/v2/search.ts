import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendJsonText } from '../../http/envelope.js';
import { CursorAdditionalData, Nullable, parseCommaList, query } from '../../http/schemas.js';
import type { Services } from '../../services.js';

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

const SearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ items: Type.Array(SearchItemSchema) }),
  additional_data: CursorAdditionalData,
});

/** v2 persons/search and organizations/search. */
export const searchRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/persons/search',
    {
      schema: {
        tags: ['Persons'],
        summary: 'Search persons',
        description: 'By a fragment of a name, email, phone (digits, any formatting), notes or searchable custom field; best matches first.',
        querystring: PersonSearchQuery,
        response: { 200: SearchEnvelope },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const { items, nextCursor } = await services.search.searchPersons(req.actor, {
        term: q.term,
        fields: parseCommaList(q.fields),
        exactMatch: q.exact_match,
        organizationId: q.organization_id,
        includeFields: parseCommaList(q.include_fields),
        limit: q.limit,
        cursor: q.cursor,
      });
      return sendJsonText(reply, JSON.stringify({ success: true, data: { items }, additional_data: { next_cursor: nextCursor } }));
    },
  );

  app.get(
    '/organizations/search',
    {
      schema: {
        tags: ['Organizations'],
        summary: 'Search organizations',
        description: 'By a fragment of a name or address; best matches first. personsd keeps no organization notes or custom fields, so those fields match nothing.',
        querystring: OrganizationSearchQuery,
        response: { 200: SearchEnvelope },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const { items, nextCursor } = await services.search.searchOrganizations(req.actor, {
        term: q.term,
        fields: parseCommaList(q.fields),
        exactMatch: q.exact_match,
        limit: q.limit,
        cursor: q.cursor,
      });
      return sendJsonText(reply, JSON.stringify({ success: true, data: { items }, additional_data: { next_cursor: nextCursor } }));
    },
  );
};
