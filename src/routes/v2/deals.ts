import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DEAL_STATUSES } from '../../domain/deals/deal-input.js';
import { renderDealV2 } from '../../domain/deals/deal-render.js';
import { DEAL_INCLUDE_FIELDS } from '../../domain/deals/deal-counts.js';
import { parseIncludeFields } from '../../domain/include-fields.js';
import { includeFieldSchemas } from './include-field-schemas.js';
import { recordFieldViewFor } from '../../domain/person-fields/record-field-view.js';
import {
  CursorListEnvelope,
  Envelope,
  IdList,
  IdParams,
  LabelObjects,
  ListParams,
  Nullable,
  StringEnum,
  parseCommaList,
  parseIdList,
  query,
  RecordFieldParams,
} from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const DealBody = Type.Object(
  {
    title: Type.Optional(Type.String({ description: 'Required on create' })),
    owner_id: Type.Optional(Type.Integer({ description: 'Defaults to the caller' })),
    person_id: Type.Optional(Nullable(Type.Integer())),
    org_id: Type.Optional(Nullable(Type.Integer())),
    pipeline_id: Type.Optional(Type.Integer({ description: "Defaults to the stage's pipeline, else the company's first pipeline" })),
    stage_id: Type.Optional(Type.Integer({ description: "Defaults to the pipeline's first stage" })),
    value: Type.Optional(Type.Number()),
    currency: Type.Optional(Type.String({ description: "ISO 4217 code; defaults to the caller's default currency" })),
    status: Type.Optional(StringEnum(DEAL_STATUSES)),
    probability: Type.Optional(Nullable(Type.Number())),
    lost_reason: Type.Optional(Nullable(Type.String())),
    visible_to: Type.Optional(Type.Integer({ description: '1, 3, 5 or 7' })),
    label_ids: Type.Optional(Type.Array(Type.Integer())),
    expected_close_date: Type.Optional(Nullable(Type.String({ description: 'YYYY-MM-DD' }))),
    custom_fields: Type.Optional(Type.Object({}, { additionalProperties: true })),
    add_time: Type.Optional(Type.String({ description: 'RFC 3339' })),
    update_time: Type.Optional(Type.String({ description: 'RFC 3339' })),
    won_time: Type.Optional(Nullable(Type.String({ description: 'RFC 3339; only on a won deal' }))),
    lost_time: Type.Optional(Nullable(Type.String({ description: 'RFC 3339; only on a lost deal' }))),
    close_time: Type.Optional(Nullable(Type.String({ description: 'RFC 3339; only on a won or lost deal' }))),
  },
  { additionalProperties: false },
);

const Deal = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    creator_user_id: Type.Integer(),
    owner_id: Type.Integer(),
    person_id: Nullable(Type.Integer()),
    org_id: Nullable(Type.Integer()),
    pipeline_id: Nullable(Type.Integer()),
    stage_id: Nullable(Type.Integer()),
    value: Type.Number(),
    currency: Type.String(),
    add_time: Type.String(),
    update_time: Type.String(),
    status: Type.String(),
    is_deleted: Type.Boolean(),
    is_archived: Type.Boolean(),
    probability: Nullable(Type.Number()),
    lost_reason: Nullable(Type.String()),
    visible_to: Type.Integer(),
    close_time: Nullable(Type.String()),
    won_time: Nullable(Type.String()),
    lost_time: Nullable(Type.String()),
    expected_close_date: Nullable(Type.String()),
    label_ids: Type.Array(Type.Integer()),
    labels: LabelObjects,
    custom_fields: Type.Object({}, { additionalProperties: true }),
    ...includeFieldSchemas(DEAL_INCLUDE_FIELDS),
  },
  { additionalProperties: false },
);

const IncludeFields = Type.Optional(Type.String({ description: `Comma-separated: ${DEAL_INCLUDE_FIELDS.join(', ')}` }));

const ListQuery = query({
  ...ListParams,
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved deals filter (GET /v1/filters); ids, owner_id, person_id and org_id are then ignored' })),
  ids: Type.Optional(IdList),
  owner_id: Type.Optional(Type.Integer({ minimum: 1 })),
  person_id: Type.Optional(Type.Integer({ minimum: 1 })),
  org_id: Type.Optional(Type.Integer({ minimum: 1 })),
  pipeline_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only deals in this pipeline' })),
  stage_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only deals in this stage' })),
  status: Type.Optional(Type.String({ description: 'Comma-separated: open, won, lost, deleted. Default: all not deleted' })),
  include_fields: IncludeFields,
  ...RecordFieldParams,
});
const DealEnvelope = Envelope(Deal);
const tags = ['Deals'];

export const dealsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { deals, dealFields } = services;

  app.get('/deals', { config: { cost: 10, scopes: ['deals:read', 'deals:full'] }, schema: { tags, summary: 'Get all deals', querystring: ListQuery, response: { 200: CursorListEnvelope(Deal) } } }, async (req) => {
    const q = req.query;
    const include = parseIncludeFields(q.include_fields, DEAL_INCLUDE_FIELDS);
    const { rows, nextCursor } = await deals.list(req.actor, {
      filterId: q.filter_id,
      ids: parseIdList(q.ids),
      ownerId: q.owner_id,
      personId: q.person_id,
      orgId: q.org_id,
      pipelineId: q.pipeline_id,
      stageId: q.stage_id,
      statuses: parseCommaList(q.status),
      updatedSince: q.updated_since,
      updatedUntil: q.updated_until,
      sortBy: q.sort_by,
      direction: q.sort_direction,
      limit: q.limit,
      cursor: q.cursor,
    });
    // Read after the list answered: the view may seed the company's fields, which a refused request must not do.
    const view = await recordFieldViewFor(q, () => dealFields.definitions(req.actor));
    const extra = await deals.includedFields(req.actor, rows, include);
    return { success: true, data: rows.map((row) => ({ ...renderDealV2(row, view), ...extra.get(row.id) })), additional_data: { next_cursor: nextCursor } };
  });

  app.get('/deals/:id', { config: { cost: 1, scopes: ['deals:read', 'deals:full'] }, schema: { tags, summary: 'Get details of a deal', params: IdParams, querystring: query({ ...RecordFieldParams, include_fields: IncludeFields }), response: { 200: DealEnvelope } } }, async (req) => {
    const include = parseIncludeFields(req.query.include_fields, DEAL_INCLUDE_FIELDS);
    const row = await deals.get(req.actor, req.params.id);
    const view = await recordFieldViewFor(req.query, () => dealFields.definitions(req.actor));
    const extra = await deals.includedFields(req.actor, [row], include);
    return { success: true, data: { ...renderDealV2(row, view), ...extra.get(row.id) } };
  });

  app.post('/deals', { config: { cost: 5, scopes: ['deals:full'] }, schema: { tags, summary: 'Add a deal', body: DealBody, response: { 200: DealEnvelope } } }, async (req) => {
    return { success: true, data: renderDealV2(await deals.create(req.actor, req.body)) };
  });

  app.patch('/deals/:id', { config: { cost: 5, scopes: ['deals:full'] }, schema: { tags, summary: 'Update a deal', params: IdParams, body: DealBody, response: { 200: DealEnvelope } } }, async (req) => {
    return { success: true, data: renderDealV2(await deals.update(req.actor, req.params.id, req.body)) };
  });

  app.delete('/deals/:id', { config: { cost: 3, scopes: ['deals:full'] }, schema: { tags, summary: 'Delete a deal (soft; purged after 30 days)', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    return { success: true, data: await deals.remove(req.actor, req.params.id) };
  });
};
