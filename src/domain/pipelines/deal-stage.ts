import type { Executor } from '../../store/executor.js';
import * as pipelines from '../../store/repositories/pipelines.repository.js';
import { invalid } from '../errors.js';

export interface DealPlace {
  pipeline_id: number;
  stage_id: number;
}

/**
 * Where a deal sits after a write. `stage_id` names the place (its pipeline follows; a `pipeline_id` sent with it
 * must be that stage's pipeline); `pipeline_id` alone moves the deal to that pipeline's first stage (a no-op when it
 * is already there); neither keeps the deal where it is, and a new deal lands in the company's first pipeline's
 * first stage. Ids of another company, or of deleted stages and pipelines, are a 400. The stage is share-locked so
 * a concurrent delete of it waits and then counts this deal.
 */
export async function resolveDealPlace(
  trx: Executor,
  companyId: number,
  current: { pipeline_id: number | null; stage_id: number | null } | null,
  input: { pipeline_id?: number; stage_id?: number },
): Promise<DealPlace> {
  if (input.stage_id !== undefined) {
    const stage = await pipelines.findStageForShare(trx, companyId, input.stage_id);
    if (!stage) throw invalid(`stage_id ${input.stage_id} is not a stage of this company`);
    if (input.pipeline_id !== undefined && input.pipeline_id !== stage.pipeline_id) {
      throw invalid(`stage_id ${stage.id} belongs to pipeline ${stage.pipeline_id}, not to pipeline_id ${input.pipeline_id}`, 'Send the stage alone: its pipeline follows.');
    }
    return { pipeline_id: stage.pipeline_id, stage_id: stage.id };
  }
  if (current && current.pipeline_id !== null && current.stage_id !== null && (input.pipeline_id === undefined || input.pipeline_id === current.pipeline_id)) {
    return { pipeline_id: current.pipeline_id, stage_id: current.stage_id };
  }
  let pipelineId = input.pipeline_id;
  if (pipelineId !== undefined) {
    if (!(await pipelines.findPipeline(trx, companyId, pipelineId))) throw invalid(`pipeline_id ${pipelineId} is not a pipeline of this company`);
  } else {
    pipelineId = (await pipelines.listAllPipelines(trx, companyId))[0]?.id;
    if (pipelineId === undefined) throw invalid('this company has no pipeline to put the deal in', 'Add a pipeline and a stage first (POST /api/v2/pipelines, POST /api/v2/stages).');
  }
  const first = await pipelines.firstStageOf(trx, companyId, pipelineId);
  if (!first) throw invalid(`pipeline ${pipelineId} has no stages to put the deal in`, 'Add a stage to it first (POST /api/v2/stages).');
  return { pipeline_id: pipelineId, stage_id: first.id };
}
