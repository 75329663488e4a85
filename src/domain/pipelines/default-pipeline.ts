import type { Executor } from '../../store/executor.js';
import * as pipelines from '../../store/repositories/pipelines.repository.js';
import { nowStored } from '../time.js';

/** The pipeline a new company starts with, and its stages in order (Pipedrive's first pipeline of a new company). */
export const DEFAULT_PIPELINE_NAME = 'Pipeline';
export const DEFAULT_STAGE_NAMES = ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started'] as const;

/** Gives a company its default pipeline and stages (a new company, or one put back to its first state). */
export async function seedDefaultPipeline(db: Executor, companyId: number): Promise<number> {
  const now = nowStored();
  const pipelineId = await pipelines.insertPipeline(db, {
    company_id: companyId,
    name: DEFAULT_PIPELINE_NAME,
    order_nr: await pipelines.nextPipelineOrder(db, companyId),
    is_deal_probability_enabled: 0,
    active_flag: 1,
    add_time: now,
    update_time: now,
    deleted_time: null,
  });
  for (const [index, name] of DEFAULT_STAGE_NAMES.entries()) {
    await pipelines.insertStage(db, {
      company_id: companyId,
      pipeline_id: pipelineId,
      name,
      order_nr: index + 1,
      deal_probability: 100,
      is_deal_rot_enabled: 0,
      days_to_rotten: null,
      add_time: now,
      update_time: now,
      deleted_time: null,
    });
  }
  return pipelineId;
}
