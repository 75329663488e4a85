import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendJsonText } from '../../http/envelope.js';
import { CursorAdditionalData, StringEnum, parseCommaList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { DealItem, SearchItemSchema } from './search.js';

/** An item of v1 and v2 itemSearch: a person or organization (as persons/search lists them) or a deal. */
export const ItemSearchItemSchema = Type.Object({
  result_score: Type.Number(),
  item: Type.Union([SearchItemSchema.properties.item, DealItem]),
});

const ItemSearchQuery = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  item_types: Type.Optional(Type.String({ description: 'Comma-separated; personsd finds person, organization and deal items (the other types find nothing)' })),
  fields: Type.Optional(Type.String({ description: 'Comma-separated: name, email, phone, notes, custom_fields (persons), name, address, custom_fields (organizations), title (deals); code and description find nothing' })),
  search_for_related_items: Type.Optional(Type.Boolean({ description: 'Not supported yet: true is a 400' })),
  exact_match: Type.Optional(Type.Boolean({ description: 'Only whole values equal to the term (case- and accent-insensitive)' })),
  include_fields: Type.Optional(Type.String({ description: 'person.picture (deal.cc_email and product.price are accepted and add nothing)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100, description: 'At most 100' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
});

const FieldSearchQuery = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with match=exact' }),
  entity_type: StringEnum(['deal', 'lead', 'person', 'organization', 'product', 'project'], { description: 'lead, product and project find nothing in personsd' }),
  field: Type.String({ description: 'persons: name, email, phone, notes or a searchable custom field key; organizations: name, address; deals: title' }),
  match: Type.Optional(StringEnum(['exact', 'beginning', 'middle'], { default: 'exact', description: 'Case-sensitive: the whole value, its start, or anywhere in it' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
});

const ItemSearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ items: Type.Array(ItemSearchItemSchema), related_items: Type.Array(ItemSearchItemSchema) }),
  additional_data: CursorAdditionalData,
});

const FieldSearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ id: Type.Integer() }, { additionalProperties: true, description: '{id, <field>: the matching value}' })),
  additional_data: CursorAdditionalData,
});

const tags = ['ItemSearch'];

export const itemSearchV2Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/itemSearch',
    { config: { cost: 20, scopes: ['search:read'] }, schema: { tags, summary: 'Search persons, organizations and deals', querystring: ItemSearchQuery, response: { 200: ItemSearchEnvelope } } },
    async (req, reply) => {
      const q = req.query;
      const { items, nextCursor } = await services.search.itemSearchByCursor(req.actor, {
        term: q.term,
        itemTypes: parseCommaList(q.item_types),
        fields: parseCommaList(q.fields),
        exactMatch: q.exact_match,
        searchForRelatedItems: q.search_for_related_items,
        includeFields: parseCommaList(q.include_fields),
        limit: q.limit,
        cursor: q.cursor,
      });
      const body = { success: true, data: { items, related_items: [] }, additional_data: { next_cursor: nextCursor } };
      return sendJsonText(reply, JSON.stringify(body));
    },
  );

  app.get(
    '/itemSearch/field',
    { config: { cost: 20, scopes: ['search:read'] }, schema: { tags, summary: 'Search the values of one field', querystring: FieldSearchQuery, response: { 200: FieldSearchEnvelope } } },
    async (req, reply) => {
      const q = req.query;
      const { items, nextCursor } = await services.search.fieldSearchByCursor(req.actor, {
        term: q.term,
        entityType: q.entity_type,
        field: q.field,
        match: q.match,
        limit: q.limit,
        cursor: q.cursor,
      });
      return sendJsonText(reply, JSON.stringify({ success: true, data: items, additional_data: { next_cursor: nextCursor } }));
    },
  );
};
