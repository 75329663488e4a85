import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, IdList, IdParams, Nullable, StringEnum, parseIdList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const TYPES = ['deals', 'leads', 'org', 'people', 'products', 'activity', 'projects'] as const;

const Group = Type.Object({ glue: Type.String(), conditions: Type.Array(Type.Unknown()) });

const Filter = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    filter_code: Nullable(Type.String()),
    is_editable: Type.Boolean(),
    active_flag: Type.Boolean(),
    type: Type.String(),
    temporary_flag: Nullable(Type.Boolean()),
    user_id: Type.Integer(),
    add_time: Type.String(),
    update_time: Nullable(Type.String()),
    visible_to: Type.String(),
    last_used_time: Nullable(Type.String()),
    custom_view_id: Nullable(Type.Integer()),
    conditions: Type.Optional(Group),
  },
  { $id: 'FilterV1' },
);

const Conditions = Type.Union([Type.Object({}, { additionalProperties: true }), Type.String()], {
  description:
    '{"glue":"and","conditions":[{"glue":"and","conditions":[CONDITION…]},{"glue":"or","conditions":[CONDITION…]}]} with CONDITION {"object","field_id","operator","value","extra_value"}; at most 16 conditions',
});
const VisibleTo = Type.Optional(Type.Union([Type.Integer(), Type.String()], { description: '1 (owner only, the default), 3, 5 or 7 (as records)' }));
const AddBody = Type.Object(
  { name: Type.String({ maxLength: 255 }), conditions: Conditions, type: Type.String({ description: 'people, org, deals or activity' }), visible_to: VisibleTo },
  { additionalProperties: false },
);
const UpdateBody = Type.Object({ name: Type.Optional(Type.String({ maxLength: 255 })), conditions: Conditions, visible_to: VisibleTo }, { additionalProperties: false });
const FieldCodeQuery = query({ include_field_code: Type.Optional(Type.Boolean({ description: 'true: each condition names its field by key (field_code)' })) });

const tags = ['Filters'];
const READ = ['deals:read', 'deals:full', 'activities:read', 'activities:full', 'contacts:read', 'contacts:full'] as const;
const WRITE = ['deals:full', 'activities:full', 'contacts:full'] as const;

export const FilterV1Schemas = [Filter];

export const filtersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { filters } = services;
  const ref = Type.Ref(Filter);

  app.get('/filters', { config: { cost: 20, scopes: READ }, schema: { tags, summary: 'Get all filters', querystring: query({ type: Type.Optional(StringEnum(TYPES)) }), response: { 200: Envelope(Type.Array(ref)) } } }, async (req) => {
    return { success: true, data: (await filters.list(req.actor, req.query.type)) as never };
  });

  app.get('/filters/helpers', { config: { cost: 20, scopes: READ }, schema: { tags, summary: 'Get all filter helpers', querystring: query({}), response: { 200: Envelope(Type.Object({}, { additionalProperties: true })) } } }, async () => {
    return { success: true, data: filters.helpers() };
  });

  app.get('/filters/:id', { config: { cost: 2, scopes: READ }, schema: { tags, summary: 'Get one filter', params: IdParams, querystring: FieldCodeQuery, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: (await filters.get(req.actor, req.params.id, req.query.include_field_code)) as never };
  });

  app.post('/filters', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Add a new filter', querystring: FieldCodeQuery, body: AddBody, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: (await filters.create(req.actor, req.body, req.query.include_field_code)) as never };
  });

  app.put('/filters/:id', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Update filter', params: IdParams, querystring: FieldCodeQuery, body: UpdateBody, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: (await filters.update(req.actor, req.params.id, req.body, req.query.include_field_code)) as never };
  });

  app.delete('/filters/:id', { config: { cost: 6, scopes: WRITE }, schema: { tags, summary: 'Delete a filter', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    return { success: true, data: await filters.remove(req.actor, req.params.id) };
  });

  app.delete('/filters', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Delete multiple filters in bulk', querystring: query({ ids: IdList }), response: { 200: Envelope(Type.Object({ id: Type.Array(Type.Integer()) })) } } }, async (req) => {
    return { success: true, data: await filters.removeMany(req.actor, parseIdList(req.query.ids) ?? []) };
  });
};
