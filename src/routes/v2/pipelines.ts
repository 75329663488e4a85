import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderPipelineV2, renderStageV2 } from '../../domain/pipelines/pipeline-render.js';
import { CursorListEnvelope, Envelope, IdParams, Nullable, StringEnum, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const PipelineBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create' })),
    is_deal_probability_enabled: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

const Pipeline = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    order_nr: Type.Integer({ description: 'The lowest is the default pipeline' }),
    is_deleted: Type.Boolean(),
    is_deal_probability_enabled: Type.Boolean(),
    add_time: Type.String(),
    update_time: Type.String(),
  },
  { additionalProperties: false },
);

const StageBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create' })),
    pipeline_id: Type.Optional(Type.Integer({ description: 'Required on create; a stage holding deals cannot move' })),
    deal_probability: Type.Optional(Type.Integer({ description: '0 to 100; default 100' })),
    is_deal_rot_enabled: Type.Optional(Type.Boolean()),
    days_to_rotten: Type.Optional(Nullable(Type.Integer({ description: 'At least 1' }))),
  },
  { additionalProperties: false },
);

const Stage = Type.Object(
  {
    id: Type.Integer(),
    order_nr: Type.Integer(),
    name: Type.String(),
    is_deleted: Type.Boolean(),
    deal_probability: Type.Integer(),
    pipeline_id: Type.Integer(),
    is_deal_rot_enabled: Type.Boolean(),
    days_to_rotten: Nullable(Type.Integer()),
    add_time: Type.String(),
    update_time: Type.String(),
  },
  { additionalProperties: false },
);

const Paging = {
  sort_direction: Type.Optional(StringEnum(['asc', 'desc'], { default: 'asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
};
const PipelineListQuery = query({ sort_by: Type.Optional(StringEnum(['id', 'update_time', 'add_time'], { default: 'id' })), ...Paging });
const StageListQuery = query({
  pipeline_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only the stages of this pipeline' })),
  sort_by: Type.Optional(StringEnum(['id', 'update_time', 'add_time', 'order_nr'], { default: 'id' })),
  ...Paging,
});
const Deleted = Envelope(Type.Object({ id: Type.Integer() }));
const PIPELINE_TAGS = ['Pipelines'];
const STAGE_TAGS = ['Stages'];
const READ = ['deals:read', 'deals:full', 'admin'] as const;
const WRITE = ['admin'] as const;

/** v2 pipelines and stages: reads for anyone with deal access, writes for admins. */
export const pipelinesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { pipelines, stages } = services;

  app.get('/pipelines', { config: { cost: 10, scopes: READ }, schema: { tags: PIPELINE_TAGS, summary: 'Get all pipelines', querystring: PipelineListQuery, response: { 200: CursorListEnvelope(Pipeline) } } }, async (req) => {
    const q = req.query;
    const { rows, nextCursor } = await pipelines.list(req.actor, { sortBy: q.sort_by, direction: q.sort_direction, limit: q.limit, cursor: q.cursor });
    return { success: true, data: rows.map(renderPipelineV2), additional_data: { next_cursor: nextCursor } };
  });

  app.get('/pipelines/:id', { config: { cost: 1, scopes: READ }, schema: { tags: PIPELINE_TAGS, summary: 'Get one pipeline', params: IdParams, querystring: query({}), response: { 200: Envelope(Pipeline) } } }, async (req) => {
    return { success: true, data: renderPipelineV2(await pipelines.get(req.actor, req.params.id)) };
  });

  app.post('/pipelines', { config: { cost: 5, scopes: WRITE }, schema: { tags: PIPELINE_TAGS, summary: 'Add a pipeline (without stages)', body: PipelineBody, response: { 200: Envelope(Pipeline) } } }, async (req) => {
    return { success: true, data: renderPipelineV2(await pipelines.create(req.actor, req.body)) };
  });

  app.patch('/pipelines/:id', { config: { cost: 5, scopes: WRITE }, schema: { tags: PIPELINE_TAGS, summary: 'Update a pipeline', params: IdParams, body: PipelineBody, response: { 200: Envelope(Pipeline) } } }, async (req) => {
    return { success: true, data: renderPipelineV2(await pipelines.update(req.actor, req.params.id, req.body)) };
  });

  app.delete('/pipelines/:id', { config: { cost: 3, scopes: WRITE }, schema: { tags: PIPELINE_TAGS, summary: 'Delete a pipeline and its stages (refused while it holds deals, or if it is the last one)', params: IdParams, response: { 200: Deleted } } }, async (req) => {
    return { success: true, data: await pipelines.remove(req.actor, req.params.id) };
  });

  app.get('/stages', { config: { cost: 10, scopes: READ }, schema: { tags: STAGE_TAGS, summary: 'Get all stages', querystring: StageListQuery, response: { 200: CursorListEnvelope(Stage) } } }, async (req) => {
    const q = req.query;
    const { rows, nextCursor } = await stages.list(req.actor, { pipelineId: q.pipeline_id, sortBy: q.sort_by, direction: q.sort_direction, limit: q.limit, cursor: q.cursor });
    return { success: true, data: rows.map(renderStageV2), additional_data: { next_cursor: nextCursor } };
  });

  app.get('/stages/:id', { config: { cost: 1, scopes: READ }, schema: { tags: STAGE_TAGS, summary: 'Get one stage', params: IdParams, querystring: query({}), response: { 200: Envelope(Stage) } } }, async (req) => {
    return { success: true, data: renderStageV2(await stages.get(req.actor, req.params.id)) };
  });

  app.post('/stages', { config: { cost: 5, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Add a stage (last in its pipeline)', body: StageBody, response: { 200: Envelope(Stage) } } }, async (req) => {
    return { success: true, data: renderStageV2(await stages.create(req.actor, req.body)) };
  });

  app.patch('/stages/:id', { config: { cost: 5, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Update a stage', params: IdParams, body: StageBody, response: { 200: Envelope(Stage) } } }, async (req) => {
    return { success: true, data: renderStageV2(await stages.update(req.actor, req.params.id, req.body)) };
  });

  app.delete('/stages/:id', { config: { cost: 3, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Delete a stage (refused while it holds deals)', params: IdParams, response: { 200: Deleted } } }, async (req) => {
    return { success: true, data: await stages.remove(req.actor, req.params.id) };
  });
};
