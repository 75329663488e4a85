import type { Selectable } from 'kysely';
import type { DealsTable } from '../../store/schema.js';
import { invalid } from '../errors.js';
import { requiredName, timestamp, visibility } from '../field-rules.js';
import { isCalendarDate } from '../time.js';

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** A v2 deal body as the API accepts it (all optional: create checks the title itself). */
export interface DealInput {
  title?: string;
  owner_id?: number;
  person_id?: number | null;
  org_id?: number | null;
  value?: number;
  currency?: string;
  status?: DealStatus;
  probability?: number | null;
  lost_reason?: string | null;
  visible_to?: number;
  label_ids?: number[];
  expected_close_date?: string | null;
  custom_fields?: Record<string, unknown>;
  add_time?: string;
  update_time?: string;
  won_time?: string | null;
  lost_time?: string | null;
  close_time?: string | null;
}

/** A deal's own values, validated, as stored (label_ids as JSON text): its row without the bookkeeping columns. */
export type DealValues = Omit<Selectable<DealsTable>, 'id' | 'company_id' | 'creator_user_id' | 'deleted_time' | 'status'> & { status: DealStatus };

export function newDealValues(ownerId: number, currency: string, now: string): DealValues {
  return {
    title: '',
    owner_id: ownerId,
    person_id: null,
    org_id: null,
    value: 0,
    currency,
    status: 'open',
    probability: null,
    lost_reason: null,
    visible_to: 3,
    label_ids: '[]',
    expected_close_date: null,
    custom_fields: '{}',
    add_time: now,
    update_time: now,
    won_time: null,
    lost_time: null,
    close_time: null,
  };
}

/**
 * Applies a create or update body. Status changes stamp the matching time (won_time, lost_time, close_time) unless
 * the body gives it; reopening a deal clears them. A time that contradicts the status is refused.
 */
export function applyDealInput(current: DealValues, input: DealInput, isCreate: boolean, now: string): DealValues {
  if (isCreate && input.title === undefined) throw invalid('title must be given');
  const next: DealValues = { ...current };
  if (input.title !== undefined) next.title = requiredName('title', input.title);
  if (input.owner_id !== undefined) next.owner_id = input.owner_id;
  if (input.person_id !== undefined) next.person_id = input.person_id;
  if (input.org_id !== undefined) next.org_id = input.org_id;
  if (input.value !== undefined) {
    if (!Number.isFinite(input.value)) throw invalid('value must be a finite number');
    next.value = input.value;
  }
  if (input.currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(input.currency)) throw invalid(`currency must be a three-letter ISO 4217 code such as EUR; got "${input.currency}"`);
    next.currency = input.currency;
  }
  if (input.probability !== undefined) {
    if (input.probability !== null && (input.probability < 0 || input.probability > 100)) {
      throw invalid(`probability must be between 0 and 100; got ${input.probability}`);
    }
    next.probability = input.probability;
  }
  if (input.lost_reason !== undefined) next.lost_reason = input.lost_reason?.trim() || null;
  if (input.visible_to !== undefined) next.visible_to = visibility(input.visible_to);
  if (input.label_ids !== undefined) next.label_ids = JSON.stringify([...new Set(input.label_ids)]);
  if (input.expected_close_date !== undefined) {
    if (input.expected_close_date !== null && !isCalendarDate(input.expected_close_date)) {
      throw invalid(`expected_close_date must be a real date in the form YYYY-MM-DD; got "${input.expected_close_date}"`);
    }
    next.expected_close_date = input.expected_close_date;
  }
  if (input.add_time !== undefined) next.add_time = timestamp('add_time', input.add_time);
  applyStatus(next, current, input, isCreate, now);
  next.update_time = input.update_time !== undefined ? timestamp('update_time', input.update_time) : isCreate ? next.add_time : now;
  return next;
}

function applyStatus(next: DealValues, current: DealValues, input: DealInput, isCreate: boolean, now: string): void {
  if (input.status !== undefined && (isCreate || input.status !== current.status)) {
    next.status = input.status;
    next.won_time = input.status === 'won' ? now : null;
    next.lost_time = input.status === 'lost' ? now : null;
    next.close_time = input.status === 'open' ? null : now;
  }
  const given = (field: 'won_time' | 'lost_time' | 'close_time', allowed: boolean) => {
    const value = input[field];
    if (value === undefined) return;
    if (value === null) {
      if (allowed) throw invalid(`${field} cannot be cleared while the deal is ${next.status}`);
      return;
    }
    if (!allowed) throw invalid(`${field} can only be set on a ${field === 'close_time' ? 'won or lost' : field.slice(0, -5)} deal; this deal is ${next.status}`);
    next[field] = timestamp(field, value);
  };
  given('won_time', next.status === 'won');
  given('lost_time', next.status === 'lost');
  given('close_time', next.status !== 'open');
  if (input.status !== undefined && input.close_time === undefined && next.status !== 'open') {
    next.close_time = next.status === 'won' ? next.won_time : next.lost_time;
  }
}
