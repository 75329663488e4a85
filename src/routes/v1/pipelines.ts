import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { pipelineInputFromV1, stageInputFromV1 } from '../../domain/pipelines/pipeline-input-v1.js';
import { renderPipelineV1, renderStageV1 } from '../../domain/pipelines/pipeline-render.js';
import { Envelope, IdList, IdParams, Nullable, parseIdList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { OffsetListEnvelope, OffsetPageParams, offsetAdditionalData } from './v1-paging.js';

// v1 is lenient: numbers may come as numeric strings, flags as 0/1; domain/pipelines/pipeline-input-v1.ts checks them.
const Lenient = (description: string) => Type.Optional(Type.Union([Type.Integer(), Type.Boolean(), Type.String()], { description }));

const PipelineBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create' })),
    deal_probability: Lenient('0 or 1: deal probability enabled'),
    order_nr: Lenient('The lowest is the default pipeline'),
    active: Lenient('0 or 1'),
  },
  { additionalProperties: false },
);

const StageBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Required on create' })),
    pipeline_id: Lenient('Required on create'),
    deal_probability: Lenient('0 to 100'),
    rotten_flag: Lenient('0 or 1'),
    rotten_days: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()], { description: 'Days before a deal rots; at least 1' })),
    order_nr: Lenient('Order within the pipeline'),
  },
  { additionalProperties: false },
);

const PipelineProperties = {
  id: Type.Integer(),
  name: Type.String(),
  url_title: Type.String(),
  order_nr: Type.Integer(),
  active: Type.Boolean(),
  deal_probability: Type.Boolean(),
  add_time: Type.String(),
  update_time: Type.String(),
};
const PipelineV1 = Type.Object(PipelineProperties, { additionalProperties: false });
const PipelineListItem = Type.Object({ ...PipelineProperties, selected: Type.Boolean() }, { additionalProperties: false });

const StageProperties = {
  id: Type.Integer(),
  order_nr: Type.Integer(),
  name: Type.String(),
  active_flag: Type.Boolean(),
  deal_probability: Type.Integer(),
  pipeline_id: Type.Integer(),
  rotten_flag: Type.Boolean(),
  rotten_days: Nullable(Type.Integer()),
  add_time: Type.String(),
  update_time: Type.String(),
};
const StageV1 = Type.Object(StageProperties, { additionalProperties: false });
const StageListItem = Type.Object({ ...StageProperties, pipeline_name: Type.String(), pipeline_deal_probability: Type.Boolean() }, { additionalProperties: false });

const StageListQuery = query({ ...OffsetPageParams, pipeline_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only the stages of this pipeline' })) });
const BulkDeleteQuery = query({ ids: IdList });
const PIPELINE_TAGS = ['Pipelines'];
const STAGE_TAGS = ['Stages'];
const READ = ['deals:read', 'deals:full', 'admin'] as const;
const WRITE = ['admin'] as const;

/** v1 pipelines and stages: the same records as v2, v1 names (`active`, `rotten_flag`, …) and v1 times. */
export const pipelinesV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { pipelines, stages } = services;

  app.get('/pipelines', { config: { cost: 20, scopes: READ }, schema: { tags: PIPELINE_TAGS, summary: 'Get all pipelines', querystring: query({}), response: { 200: Envelope(Type.Array(PipelineListItem)) } } }, async (req) => {
    const rows = await pipelines.listAll(req.actor);
    return { success: true, data: rows.map((row, index) => ({ ...renderPipelineV1(row), selected: index === 0 })) };
  });

  app.get('/pipelines/:id', { config: { cost: 2, scopes: READ }, schema: { tags: PIPELINE_TAGS, summary: 'Get one pipeline', params: IdParams, querystring: query({}), response: { 200: Envelope(PipelineV1) } } }, async (req) => {
    return { success: true, data: renderPipelineV1(await pipelines.get(req.actor, req.params.id)) };
  });

  app.post('/pipelines', { config: { cost: 10, scopes: WRITE }, schema: { tags: PIPELINE_TAGS, summary: 'Add a pipeline (without stages)', body: PipelineBody, response: { 200: Envelope(PipelineV1) } } }, async (req) => {
    return { success: true, data: renderPipelineV1(await pipelines.create(req.actor, pipelineInputFromV1(req.body))) };
  });

  app.put('/pipelines/:id', { config: { cost: 10, scopes: WRITE }, schema: { tags: PIPELINE_TAGS, summary: 'Update a pipeline', params: IdParams, body: PipelineBody, response: { 200: Envelope(PipelineV1) } } }, async (req) => {
    return { success: true, data: renderPipelineV1(await pipelines.update(req.actor, req.params.id, pipelineInputFromV1(req.body))) };
  });

  app.delete('/pipelines/:id', { config: { cost: 6, scopes: WRITE }, schema: { tags: PIPELINE_TAGS, summary: 'Delete a pipeline and its stages (refused while it holds deals, or if it is the last one)', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    return { success: true, data: await pipelines.remove(req.actor, req.params.id) };
  });

  app.get('/stages', { config: { cost: 20, scopes: READ }, schema: { tags: STAGE_TAGS, summary: 'Get all stages', querystring: StageListQuery, response: { 200: OffsetListEnvelope(StageListItem) } } }, async (req) => {
    const page = await stages.listByOffset(req.actor, req.query.pipeline_id, req.query.start ?? 0, req.query.limit ?? 100);
    return { success: true, data: page.rows.map(({ row, pipeline }) => renderStageV1(row, pipeline)) as never, additional_data: offsetAdditionalData(page) };
  });

  app.get('/stages/:id', { config: { cost: 2, scopes: READ }, schema: { tags: STAGE_TAGS, summary: 'Get one stage', params: IdParams, querystring: query({}), response: { 200: Envelope(StageV1) } } }, async (req) => {
    return { success: true, data: renderStageV1(await stages.get(req.actor, req.params.id)) };
  });

  app.post('/stages', { config: { cost: 10, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Add a stage (last in its pipeline)', body: StageBody, response: { 200: Envelope(StageV1) } } }, async (req) => {
    return { success: true, data: renderStageV1(await stages.create(req.actor, stageInputFromV1(req.body))) };
  });

  app.put('/stages/:id', { config: { cost: 10, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Update a stage', params: IdParams, body: StageBody, response: { 200: Envelope(StageV1) } } }, async (req) => {
    return { success: true, data: renderStageV1(await stages.update(req.actor, req.params.id, stageInputFromV1(req.body))) };
  });

  app.delete('/stages/:id', { config: { cost: 6, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Delete a stage (refused while it holds deals)', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    return { success: true, data: await stages.remove(req.actor, req.params.id) };
  });

  app.delete('/stages', { config: { cost: 10, scopes: WRITE }, schema: { tags: STAGE_TAGS, summary: 'Delete several stages (all or none; refused while any holds deals)', querystring: BulkDeleteQuery, response: { 200: Envelope(Type.Object({ id: Type.Array(Type.Integer()) })) } } }, async (req) => {
    return { success: true, data: { id: await stages.removeMany(req.actor, parseIdList(req.query.ids) ?? []) } };
  });
};
