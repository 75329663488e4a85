import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderFieldV1 } from '../../domain/person-fields/field-render.js';
import { Envelope, IdList, IdParams, Nullable, parseIdList, query } from '../../http/schemas.js';
import type { FieldEntity } from '../../domain/person-fields/entities.js';
import type { Services } from '../../app/services.js';
import { fieldsRouteSettings } from '../fields-route-settings.js';

const Option = Type.Object({ id: Type.Integer(), label: Type.String(), color: Type.Optional(Type.String()) });
const Subfield = Type.Object({
  id: Type.Null(),
  key: Type.String(),
  name: Type.String(),
  field_type: Type.String(),
  is_subfield: Type.Boolean(),
  parent_id: Type.Integer(),
  id_suffix: Type.String(),
});

export const PersonFieldV1 = Type.Object(
  {
    id: Type.Integer(),
    key: Type.String(),
    name: Type.String(),
    order_nr: Type.Integer(),
    field_type: Type.String(),
    add_time: Type.String(),
    update_time: Nullable(Type.String()),
    last_updated_by_user_id: Nullable(Type.Integer()),
    created_by_user_id: Nullable(Type.Integer()),
    active_flag: Type.Boolean(),
    edit_flag: Type.Boolean({ description: 'true for custom fields' }),
    index_visible_flag: Type.Boolean(),
    details_visible_flag: Type.Boolean(),
    add_visible_flag: Type.Boolean(),
    important_flag: Type.Boolean(),
    bulk_edit_allowed: Type.Boolean(),
    searchable_flag: Type.Boolean(),
    filtering_allowed: Type.Boolean(),
    sortable_flag: Type.Boolean(),
    mandatory_flag: Type.Boolean(),
    options: Nullable(Type.Array(Option)),
    subfields: Type.Optional(Type.Array(Subfield)),
  },
  { $id: 'PersonFieldV1' },
);

const FIELD_TYPES_V1 = ['address', 'date', 'daterange', 'double', 'enum', 'monetary', 'org', 'people', 'phone', 'set', 'text', 'time', 'timerange', 'user', 'varchar', 'varchar_auto', 'visible_to'];

const NewFieldBody = Type.Object(
  {
    name: Type.String(),
    field_type: Type.Unsafe<string>({ type: 'string', enum: FIELD_TYPES_V1 }),
    options: Type.Optional(Type.Array(Type.Object({ label: Type.String() }, { additionalProperties: false }), { description: 'Required for enum and set' })),
    add_visible_flag: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

const UpdateFieldBody = Type.Object(
  {
    name: Type.Optional(Type.String()),
    options: Type.Optional(
      Type.Array(Type.Object({ id: Type.Optional(Type.Integer()), label: Type.String() }, { additionalProperties: false }), {
        description: 'Every active option: existing ones with their id, new ones with a label only; options left out are deleted',
      }),
    ),
    add_visible_flag: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ListQuery = query({
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
});
const BulkDeleteQuery = query({ ids: IdList });

const Pagination = Type.Object({
  start: Type.Integer(),
  limit: Type.Integer(),
  more_items_in_collection: Type.Boolean(),
  next_start: Type.Optional(Type.Integer()),
});
const ListEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Ref(PersonFieldV1)),
  additional_data: Type.Object({ pagination: Pagination }),
});
const FieldEnvelope = Envelope(Type.Ref(PersonFieldV1));

const wording = { name: 'name' } as const;

/** The v1 fields routes of one entity (`/personFields`, `/organizationFields`, `/dealFields`): one engine for all. */
export const fieldsV1Routes: FastifyPluginAsyncTypebox<{ services: Services; entity: FieldEntity }> = async (app, { services, entity }) => {
  const { service: fields, path, one, read, write, tag } = fieldsRouteSettings(services, entity);
  const tags = [`${tag} (v1)`];

  app.get(`/${path}`, { config: { cost: 20, scopes: read }, schema: { tags, summary: `Get all ${one} fields`, querystring: ListQuery, response: { 200: ListEnvelope } } }, async (req) => {
    const start = req.query.start ?? 0;
    const limit = req.query.limit ?? 100;
    const { fields: page, more } = await fields.listOffset(req.actor, start, limit);
    const pagination = { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) };
    return { success: true, data: page.map(renderFieldV1), additional_data: { pagination } };
  });

  app.get(`/${path}/:id`, { config: { cost: 2, scopes: read }, schema: { tags, summary: `Get one ${one} field`, params: IdParams, querystring: query({}), response: { 200: FieldEnvelope } } }, async (req) => {
    return { success: true, data: renderFieldV1(await fields.get(req.actor, { id: req.params.id })) };
  });

  app.post(`/${path}`, { config: { cost: 10, scopes: write }, schema: { tags, summary: `Add a new ${one} field`, body: NewFieldBody, response: { 200: FieldEnvelope } } }, async (req) => {
    const { name, field_type, options, add_visible_flag } = req.body;
    const field = await fields.create(req.actor, { name, type: field_type, options, addVisible: add_visible_flag ?? true }, wording);
    return { success: true, data: renderFieldV1(field) };
  });

  app.put(`/${path}/:id`, { config: { cost: 10, scopes: write }, schema: { tags, summary: `Update a ${one} field`, params: IdParams, body: UpdateFieldBody, response: { 200: FieldEnvelope } } }, async (req) => {
    const { name, options, add_visible_flag } = req.body;
    const field = await fields.update(req.actor, { id: req.params.id }, { name, options, addVisible: add_visible_flag }, wording);
    return { success: true, data: renderFieldV1(field) };
  });

  app.delete(`/${path}/:id`, { config: { cost: 6, scopes: write }, schema: { tags, summary: `Delete a ${one} field (and its values on every ${one})`, params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    const field = await fields.remove(req.actor, { id: req.params.id });
    return { success: true, data: { id: field.id } };
  });

  app.delete(`/${path}`, { config: { cost: 10, scopes: write }, schema: { tags, summary: `Delete multiple ${one} fields in bulk`, querystring: BulkDeleteQuery, response: { 200: Envelope(Type.Object({ id: Type.Array(Type.Integer()) })) } } }, async (req) => {
    const ids = await fields.removeMany(req.actor, parseIdList(req.query.ids) as number[]);
    return { success: true, data: { id: ids } };
  });
};
