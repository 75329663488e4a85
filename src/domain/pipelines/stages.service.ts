import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as pipelines from '../../store/repositories/pipelines.repository.js';
import type { PipelineRow, StageRow, StageSort } from '../../store/repositories/pipelines.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { type ListRequest, pageFromRequest, pageResult } from '../paging.js';
import { nowStored } from '../time.js';
import { type StageInput, type StageValues, applyStageInput } from './pipeline-input.js';
import { mustBeAdmin } from './pipelines.service.js';

export interface StageListRequest extends ListRequest<StageSort> {
  pipelineId?: number;
}

/** The stages of a company's pipelines: everyone reads them, admins change them. */
export class StagesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
  ) {}

  async list(actor: Actor, request: StageListRequest): Promise<{ rows: StageRow[]; nextCursor: string | null }> {
    await this.knownPipeline(this.db, actor, request.pipelineId);
    const page = pageFromRequest(this.cursors, request);
    return pageResult(this.cursors, page, await pipelines.listStages(this.db, actor.companyId, request.pipelineId, page));
  }

  /** v1's list: by pipeline and order, with each stage's pipeline for the `pipeline_name` v1 adds. */
  async listByOffset(actor: Actor, pipelineId: number | undefined, start: number, limit: number) {
    await this.knownPipeline(this.db, actor, pipelineId);
    const rows = await pipelines.listStagesByOffset(this.db, actor.companyId, pipelineId, start, limit);
    const byId = new Map((await pipelines.listAllPipelines(this.db, actor.companyId)).map((p) => [p.id, p]));
    return { rows: rows.slice(0, limit).map((row) => ({ row, pipeline: byId.get(row.pipeline_id) as PipelineRow })), start, limit, more: rows.length > limit };
  }

  async get(actor: Actor, id: number): Promise<StageRow> {
    const row = await pipelines.findStage(this.db, actor.companyId, id);
    if (!row) throw stageNotFound(id);
    return row;
  }

  async create(actor: Actor, input: StageInput): Promise<StageRow> {
    mustBeAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const blank: StageValues = { name: '', pipeline_id: 0, order_nr: 0, deal_probability: 100, is_deal_rot_enabled: 0, days_to_rotten: null };
      const values = applyStageInput(blank, input, true);
      await this.pipelineForStage(trx, actor, values.pipeline_id);
      if (input.order_nr === undefined) values.order_nr = await pipelines.nextStageOrder(trx, actor.companyId, values.pipeline_id);
      const now = nowStored();
      const id = await pipelines.insertStage(trx, { company_id: actor.companyId, ...values, add_time: now, update_time: now, deleted_time: null });
      return (await pipelines.findStage(trx, actor.companyId, id)) as StageRow;
    });
  }

  /** Moving a stage to another pipeline is refused while live deals sit in it (their pipeline would change unseen). */
  async update(actor: Actor, id: number, input: StageInput): Promise<StageRow> {
    mustBeAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const before = await pipelines.findStageForUpdate(trx, actor.companyId, id);
      if (!before) throw stageNotFound(id);
      const values = applyStageInput(before, input, false);
      if (values.pipeline_id !== before.pipeline_id) {
        await this.pipelineForStage(trx, actor, values.pipeline_id);
        const deals = await pipelines.countLiveDeals(trx, actor.companyId, { stageIds: [id] });
        if (deals > 0) throw invalid(`stage ${id} still has ${deals} deal${deals === 1 ? '' : 's'} and cannot move to another pipeline`, 'Move its deals to another stage first.');
        if (input.order_nr === undefined) values.order_nr = await pipelines.nextStageOrder(trx, actor.companyId, values.pipeline_id);
      }
      await pipelines.updateStage(trx, actor.companyId, id, { ...values, update_time: nowStored() });
      return (await pipelines.findStage(trx, actor.companyId, id)) as StageRow;
    });
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    await this.removeMany(actor, [id]);
    return { id };
  }

  /** Marks the stages deleted, all or none: refused while live deals sit in any of them. */
  async removeMany(actor: Actor, ids: readonly number[]): Promise<number[]> {
    mustBeAdmin(actor);
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw invalid('ids must list at least one stage id');
    if (unique.length > 100) throw invalid('ids may list at most 100 ids');
    return this.db.transaction().execute(async (trx) => {
      const found = await pipelines.findStagesForUpdate(trx, actor.companyId, unique);
      const missing = unique.find((id) => !found.some((s) => s.id === id));
      if (missing !== undefined) throw stageNotFound(missing);
      const deals = await pipelines.countLiveDeals(trx, actor.companyId, { stageIds: unique });
      if (deals > 0) {
        const which = unique.length === 1 ? `stage ${unique[0]} still has` : `stages ${unique.join(', ')} still have`;
        throw invalid(`${which} ${deals} deal${deals === 1 ? '' : 's'}`, 'Move or delete their deals first (PATCH /api/v2/deals/{id} with another stage_id).');
      }
      await pipelines.markStagesDeleted(trx, actor.companyId, unique, nowStored());
      return unique;
    });
  }

  private async knownPipeline(db: Executor, actor: Actor, pipelineId: number | undefined): Promise<void> {
    if (pipelineId !== undefined && !(await pipelines.findPipeline(db, actor.companyId, pipelineId))) {
      throw notFound('Pipeline not found', `No pipeline with id ${pipelineId} exists in this company.`);
    }
  }

  private async pipelineForStage(trx: Executor, actor: Actor, pipelineId: number): Promise<void> {
    if (!(await pipelines.findPipelineForShare(trx, actor.companyId, pipelineId))) throw invalid(`pipeline_id ${pipelineId} is not a pipeline of this company`);
  }
}

function stageNotFound(id: number) {
  return notFound('Stage not found', `No stage with id ${id} exists in this company.`);
}
