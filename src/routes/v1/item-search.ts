import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendJsonText } from '../../http/envelope.js';
import { StringEnum, parseCommaList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { ItemSearchItemSchema } from '../v2/item-search.js';
import { OffsetPageParams, Pagination, offsetAdditionalData } from './v1-paging.js';

// v1 clients send booleans as true/false or 1/0.
const V1Boolean = (description: string) => Type.Optional(StringEnum(['true', 'false', '1', '0'], { description }));
const flag = (value: string | undefined) => (value === undefined ? undefined : value === 'true' || value === '1');

const ItemSearchQuery = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  item_types: Type.Optional(Type.String({ description: 'Comma-separated; personsd finds person, organization and deal items' })),
  fields: Type.Optional(Type.String({ description: 'Comma-separated: address, custom_fields, email, name, notes, phone (and code, title, description)' })),
  search_for_related_items: V1Boolean('Not supported yet'),
  exact_match: V1Boolean('Only whole values equal to the term (case-insensitive)'),
  include_fields: Type.Optional(Type.String({ description: 'person.picture' })),
  ...OffsetPageParams,
});

const FieldSearchQuery = query({
  term: Type.String({ description: 'At least 2 characters, or 1 with exact_match' }),
  field_type: Type.String({ description: 'personField, organizationField or dealField' }),
  field_key: Type.String({ description: 'name, email, phone, notes (persons), name, address (organizations), title (deals), or a searchable person custom field key' }),
  exact_match: V1Boolean('Only values equal to the term; the search is case sensitive'),
  return_item_ids: V1Boolean('List each matching item with its id instead of the distinct values'),
  ...OffsetPageParams,
});

const ItemSearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ items: Type.Array(ItemSearchItemSchema), related_items: Type.Array(ItemSearchItemSchema) }),
  additional_data: Type.Object({ pagination: Pagination }),
});

const FieldSearchEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ id: Type.Optional(Type.Integer()) }, { additionalProperties: true })),
  additional_data: Type.Object({ pagination: Pagination }),
});

const tags = ['ItemSearch'];

export const itemSearchRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  // The v1 spec no longer lists v1 item search: Pipedrive's generic v1 search cost, and v2's scope.
  app.get('/itemSearch', { config: { cost: 40, scopes: ['search:read'] }, schema: { tags, summary: 'Search persons, organizations and deals', querystring: ItemSearchQuery, response: { 200: ItemSearchEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await services.search.itemSearch(req.actor, {
      term: q.term,
      itemTypes: parseCommaList(q.item_types),
      fields: parseCommaList(q.fields),
      exactMatch: flag(q.exact_match),
      searchForRelatedItems: flag(q.search_for_related_items),
      includeFields: parseCommaList(q.include_fields),
      start: q.start,
      limit: q.limit,
    });
    const body = { success: true, data: { items: page.items, related_items: [] }, additional_data: offsetAdditionalData(page) };
    return sendJsonText(reply, JSON.stringify(body));
  });

  app.get('/itemSearch/field', { config: { cost: 40, scopes: ['search:read'] }, schema: { tags, summary: 'Search the values of one field', querystring: FieldSearchQuery, response: { 200: FieldSearchEnvelope } } }, async (req, reply) => {
    const q = req.query;
    const page = await services.search.fieldSearch(req.actor, {
      term: q.term,
      fieldType: q.field_type,
      fieldKey: q.field_key,
      exactMatch: flag(q.exact_match),
      returnItemIds: flag(q.return_item_ids),
      start: q.start,
      limit: q.limit,
    });
    return sendJsonText(reply, JSON.stringify({ success: true, data: page.items, additional_data: offsetAdditionalData(page) }));
  });
};
