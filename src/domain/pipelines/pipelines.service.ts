import type { Kysely } from 'kysely';
import * as pipelines from '../../store/repositories/pipelines.repository.js';
import type { PipelineRow } from '../../store/repositories/pipelines.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { type ListRequest, pageFromRequest, pageResult } from '../paging.js';
import { nowStored } from '../time.js';
import { type PipelineInput, applyPipelineInput } from './pipeline-input.js';

/** A company's pipelines: everyone reads them, admins change them. */
export class PipelinesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
  ) {}

  async list(actor: Actor, request: ListRequest): Promise<{ rows: PipelineRow[]; nextCursor: string | null }> {
    const page = pageFromRequest(this.cursors, request);
    return pageResult(this.cursors, page, await pipelines.listPipelines(this.db, actor.companyId, page));
  }

  /** Every live pipeline, the default (lowest order_nr) first: v1's unpaged list. */
  listAll(actor: Actor): Promise<PipelineRow[]> {
    return pipelines.listAllPipelines(this.db, actor.companyId);
  }

  async get(actor: Actor, id: number): Promise<PipelineRow> {
    const row = await pipelines.findPipeline(this.db, actor.companyId, id);
    if (!row) throw pipelineNotFound(id);
    return row;
  }

  async create(actor: Actor, input: PipelineInput): Promise<PipelineRow> {
    mustBeAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const now = nowStored();
      const blank = { name: '', order_nr: await pipelines.nextPipelineOrder(trx, actor.companyId), is_deal_probability_enabled: 0, active_flag: 1 };
      const values = applyPipelineInput(blank, input, true);
      const id = await pipelines.insertPipeline(trx, { company_id: actor.companyId, ...values, add_time: now, update_time: now, deleted_time: null });
      return (await pipelines.findPipeline(trx, actor.companyId, id)) as PipelineRow;
    });
  }

  async update(actor: Actor, id: number, input: PipelineInput): Promise<PipelineRow> {
    mustBeAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const before = await pipelines.findPipelineForUpdate(trx, actor.companyId, id);
      if (!before) throw pipelineNotFound(id);
      await pipelines.updatePipeline(trx, actor.companyId, id, { ...applyPipelineInput(before, input, false), update_time: nowStored() });
      return (await pipelines.findPipeline(trx, actor.companyId, id)) as PipelineRow;
    });
  }

  /**
   * Marks the pipeline and its stages deleted. Refused while live deals sit in it (they would point at a pipeline
   * that answers 404) and for the company's last pipeline (new deals need somewhere to go).
   */
  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    mustBeAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const before = await pipelines.findPipelineForUpdate(trx, actor.companyId, id);
      if (!before) throw pipelineNotFound(id);
      if ((await pipelines.listAllPipelines(trx, actor.companyId)).length <= 1) {
        throw invalid(`pipeline ${id} is the company's only pipeline and cannot be deleted`, 'Add another pipeline first.');
      }
      // Its stages before counting: a deal write share-locks its stage, so one moving in now is counted.
      await pipelines.pipelineStagesForUpdate(trx, actor.companyId, id);
      const deals = await pipelines.countLiveDeals(trx, actor.companyId, { pipelineId: id });
      if (deals > 0) {
        throw invalid(`pipeline ${id} still has ${deals} deal${deals === 1 ? '' : 's'}`, 'Move or delete its deals first (PATCH /api/v2/deals/{id} with another stage_id).');
      }
      await pipelines.markPipelineDeleted(trx, actor.companyId, id, nowStored());
      return { id };
    });
  }
}

export function mustBeAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('Only admins can add, change or delete pipelines and stages', 'Ask an admin of the company, or use an admin token.');
}

function pipelineNotFound(id: number) {
  return notFound('Pipeline not found', `No pipeline with id ${id} exists in this company.`);
}
