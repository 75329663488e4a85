import type { PipelineRow, StageRow } from '../../store/repositories/pipelines.repository.js';
import { invalid } from '../errors.js';
import { requiredName } from '../field-rules.js';

/** A pipeline body, v2 names (v1's `deal_probability` and `active` are mapped by the route). */
export interface PipelineInput {
  name?: string;
  is_deal_probability_enabled?: boolean;
  order_nr?: number;
  active?: boolean;
}

/** A stage body, v2 names (v1's `rotten_flag` and `rotten_days` are mapped by the route). */
export interface StageInput {
  name?: string;
  pipeline_id?: number;
  deal_probability?: number;
  is_deal_rot_enabled?: boolean;
  days_to_rotten?: number | null;
  order_nr?: number;
}

export type PipelineValues = Pick<PipelineRow, 'name' | 'order_nr' | 'is_deal_probability_enabled' | 'active_flag'>;
export type StageValues = Pick<StageRow, 'name' | 'pipeline_id' | 'order_nr' | 'deal_probability' | 'is_deal_rot_enabled' | 'days_to_rotten'>;

export function applyPipelineInput(current: PipelineValues, input: PipelineInput, isCreate: boolean): PipelineValues {
  if (isCreate && input.name === undefined) throw invalid('name must be given');
  const next = { ...current };
  if (input.name !== undefined) next.name = requiredName('name', input.name);
  if (input.is_deal_probability_enabled !== undefined) next.is_deal_probability_enabled = input.is_deal_probability_enabled ? 1 : 0;
  if (input.order_nr !== undefined) next.order_nr = orderNumber(input.order_nr);
  if (input.active !== undefined) next.active_flag = input.active ? 1 : 0;
  return next;
}

export function applyStageInput(current: StageValues, input: StageInput, isCreate: boolean): StageValues {
  if (isCreate && input.name === undefined) throw invalid('name must be given');
  if (isCreate && input.pipeline_id === undefined) throw invalid('pipeline_id must be given');
  const next = { ...current };
  if (input.name !== undefined) next.name = requiredName('name', input.name);
  if (input.pipeline_id !== undefined) next.pipeline_id = input.pipeline_id;
  if (input.deal_probability !== undefined) {
    if (!Number.isInteger(input.deal_probability) || input.deal_probability < 0 || input.deal_probability > 100) {
      throw invalid(`deal_probability must be a whole number from 0 to 100; got ${input.deal_probability}`);
    }
    next.deal_probability = input.deal_probability;
  }
  if (input.is_deal_rot_enabled !== undefined) next.is_deal_rot_enabled = input.is_deal_rot_enabled ? 1 : 0;
  if (input.days_to_rotten !== undefined) {
    if (input.days_to_rotten !== null && (!Number.isInteger(input.days_to_rotten) || input.days_to_rotten < 1)) {
      throw invalid(`days_to_rotten must be a whole number of days, at least 1; got ${input.days_to_rotten}`);
    }
    next.days_to_rotten = input.days_to_rotten;
  }
  if (input.order_nr !== undefined) next.order_nr = orderNumber(input.order_nr);
  return next;
}

function orderNumber(value: number): number {
  if (!Number.isInteger(value) || value < 0) throw invalid(`order_nr must be a whole number, 0 or more; got ${value}`);
  return value;
}
