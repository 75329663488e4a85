import type { PipelineRow, StageRow } from '../../store/repositories/pipelines.repository.js';
import { toV1Time } from '../time.js';

export function renderPipelineV2(row: PipelineRow) {
  return {
    id: row.id,
    name: row.name,
    order_nr: row.order_nr,
    is_deleted: row.deleted_time !== null,
    is_deal_probability_enabled: row.is_deal_probability_enabled === 1,
    add_time: row.add_time,
    update_time: row.update_time,
  };
}

export function renderStageV2(row: StageRow) {
  return {
    id: row.id,
    order_nr: row.order_nr,
    name: row.name,
    is_deleted: row.deleted_time !== null,
    deal_probability: row.deal_probability,
    pipeline_id: row.pipeline_id,
    is_deal_rot_enabled: row.is_deal_rot_enabled === 1,
    days_to_rotten: row.days_to_rotten,
    add_time: row.add_time,
    update_time: row.update_time,
  };
}

/** v1's pipeline: `active`, `deal_probability` (the flag), a URL title, v1 times; `selected` on lists. */
export function renderPipelineV1(row: PipelineRow) {
  return {
    id: row.id,
    name: row.name,
    url_title: urlTitle(row.name),
    order_nr: row.order_nr,
    active: row.active_flag === 1,
    deal_probability: row.is_deal_probability_enabled === 1,
    add_time: toV1Time(row.add_time) as string,
    update_time: toV1Time(row.update_time) as string,
  };
}

/** v1's stage: `active_flag`, `rotten_flag`, `rotten_days`, v1 times; lists add the pipeline's name and flag. */
export function renderStageV1(row: StageRow, pipeline?: PipelineRow) {
  return {
    id: row.id,
    order_nr: row.order_nr,
    name: row.name,
    active_flag: row.deleted_time === null,
    deal_probability: row.deal_probability,
    pipeline_id: row.pipeline_id,
    rotten_flag: row.is_deal_rot_enabled === 1,
    rotten_days: row.days_to_rotten,
    add_time: toV1Time(row.add_time) as string,
    update_time: toV1Time(row.update_time) as string,
    ...(pipeline && { pipeline_name: pipeline.name, pipeline_deal_probability: pipeline.is_deal_probability_enabled === 1 }),
  };
}

function urlTitle(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'pipeline';
}
