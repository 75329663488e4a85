import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADDRESS_PARTS } from '../../domain/address.js';
import { renderOrganizationV2 } from '../../domain/organizations/organization-render.js';
import { parseIncludeFields } from '../../domain/include-fields.js';
import { ORGANIZATION_INCLUDE_FIELDS } from '../../domain/organizations/organization-counts.js';
import { includeFieldSchemas, withFields } from './include-field-schemas.js';
import { recordFieldViewFor } from '../../domain/person-fields/record-field-view.js';
import { listText, sendJsonText, successText } from '../../http/envelope.js';
import { CursorListEnvelope, Envelope, IdList, IdParams, LabelObjects, ListParams, Nullable, parseIdList, query, RecordFieldParams } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const AddressIn = Type.Object(
  Object.fromEntries([...ADDRESS_PARTS, 'formatted_address'].map((part) => [part, Type.Optional(Nullable(Type.String()))])),
  { additionalProperties: false },
);

const OrganizationBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create' })),
    owner_id: Type.Optional(Type.Integer({ description: 'Defaults to the caller' })),
    visible_to: Type.Optional(Type.Integer({ description: '1, 3, 5 or 7' })),
    label_ids: Type.Optional(Type.Array(Type.Integer())),
    address: Type.Optional(Nullable(AddressIn)),
    custom_fields: Type.Optional(Type.Object({}, { additionalProperties: true })),
    add_time: Type.Optional(Type.String({ description: 'RFC 3339' })),
    update_time: Type.Optional(Type.String({ description: 'RFC 3339' })),
  },
  { additionalProperties: false },
);

export const Organization = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    owner_id: Type.Integer(),
    add_time: Type.String(),
    update_time: Type.String(),
    address: Nullable(Type.Object({}, { additionalProperties: Nullable(Type.String()) })),
    is_deleted: Type.Boolean(),
    visible_to: Type.Integer(),
    label_ids: Type.Array(Type.Integer()),
    labels: LabelObjects,
    picture_id: Nullable(Type.Integer()),
    custom_fields: Type.Object({}, { additionalProperties: true }),
    ...includeFieldSchemas(ORGANIZATION_INCLUDE_FIELDS),
  },
  { $id: 'OrganizationV2' },
);

const IncludeFields = Type.Optional(Type.String({ description: `Comma-separated: ${ORGANIZATION_INCLUDE_FIELDS.join(', ')}` }));
const ListQuery = query({
  ...ListParams,
  ...RecordFieldParams,
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved org filter (GET /v1/filters); ids and owner_id are then ignored' })),
  ids: Type.Optional(IdList),
  owner_id: Type.Optional(Type.Integer({ minimum: 1 })),
  include_fields: IncludeFields,
});
const GetQuery = query({ ...RecordFieldParams, include_fields: IncludeFields });
const OrganizationEnvelope = Envelope(Type.Ref(Organization));
const tags = ['Organizations'];

export const organizationsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { organizations, organizationFields } = services;

  app.get('/organizations', { config: { cost: 10, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'Get all organizations', querystring: ListQuery, response: { 200: CursorListEnvelope(Type.Ref(Organization)) } } }, async (req, reply) => {
    const q = req.query;
    const include = parseIncludeFields(q.include_fields, ORGANIZATION_INCLUDE_FIELDS);
    const { rows, nextCursor } = await organizations.list(req.actor, {
      filterId: q.filter_id,
      ids: parseIdList(q.ids),
      ownerId: q.owner_id,
      updatedSince: q.updated_since,
      updatedUntil: q.updated_until,
      sortBy: q.sort_by,
      direction: q.sort_direction,
      limit: q.limit,
      cursor: q.cursor,
    });
    // Read after the list answered: the view may seed the company's fields, which a refused request must not do.
    const view = await recordFieldViewFor(q, () => organizationFields.definitions(req.actor));
    const extra = await organizations.includedFields(req.actor, rows.map((r) => r.id), include);
    return sendJsonText(reply, listText(rows.map((row) => withFields(renderOrganizationV2(row, view), extra.get(row.id) ?? {})), nextCursor));
  });

  app.get('/organizations/:id', { config: { cost: 1, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'Get details of an organization', params: IdParams, querystring: GetQuery, response: { 200: OrganizationEnvelope } } }, async (req, reply) => {
    const include = parseIncludeFields(req.query.include_fields, ORGANIZATION_INCLUDE_FIELDS);
    const row = await organizations.get(req.actor, req.params.id);
    const view = await recordFieldViewFor(req.query, () => organizationFields.definitions(req.actor));
    const extra = await organizations.includedFields(req.actor, [row.id], include);
    return sendJsonText(reply, successText(withFields(renderOrganizationV2(row, view), extra.get(row.id) ?? {})));
  });

  app.post('/organizations', { config: { cost: 5, scopes: ['contacts:full'] }, schema: { tags, summary: 'Add an organization', body: OrganizationBody, response: { 200: OrganizationEnvelope } } }, async (req, reply) => {
    return sendJsonText(reply, successText(renderOrganizationV2(await organizations.create(req.actor, req.body))));
  });

  app.patch('/organizations/:id', { config: { cost: 5, scopes: ['contacts:full'] }, schema: { tags, summary: 'Update an organization', params: IdParams, body: OrganizationBody, response: { 200: OrganizationEnvelope } } }, async (req, reply) => {
    return sendJsonText(reply, successText(renderOrganizationV2(await organizations.update(req.actor, req.params.id, req.body))));
  });

  app.delete('/organizations/:id', { config: { cost: 3, scopes: ['contacts:full'] }, schema: { tags, summary: 'Delete an organization (soft; purged after 30 days)', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    return { success: true, data: await organizations.remove(req.actor, req.params.id) };
  });
};
