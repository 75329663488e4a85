import { invalid } from '../errors.js';
import type { PipelineInput, StageInput } from './pipeline-input.js';

/** v1 pipeline and stage bodies, lenient as v1 is: numbers as numeric strings, flags as 0/1, "0"/"1" or booleans. */
export interface PipelineV1Body {
  name?: string;
  deal_probability?: unknown;
  order_nr?: unknown;
  active?: unknown;
}

export interface StageV1Body {
  name?: string;
  pipeline_id?: unknown;
  deal_probability?: unknown;
  rotten_flag?: unknown;
  rotten_days?: unknown;
  order_nr?: unknown;
}

export function pipelineInputFromV1(body: PipelineV1Body): PipelineInput {
  return {
    name: body.name,
    is_deal_probability_enabled: flag('deal_probability', body.deal_probability),
    order_nr: whole('order_nr', body.order_nr),
    active: flag('active', body.active),
  };
}

export function stageInputFromV1(body: StageV1Body): StageInput {
  return {
    name: body.name,
    pipeline_id: whole('pipeline_id', body.pipeline_id),
    deal_probability: whole('deal_probability', body.deal_probability),
    is_deal_rot_enabled: flag('rotten_flag', body.rotten_flag),
    days_to_rotten: body.rotten_days === null ? null : whole('rotten_days', body.rotten_days),
    order_nr: whole('order_nr', body.order_nr),
  };
}

function flag(field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  throw invalid(`${field} must be 0, 1, true or false; got ${JSON.stringify(value)}`);
}

function whole(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw invalid(`${field} must be a whole number; got ${JSON.stringify(value)}`);
  return number;
}
