import type { Kysely } from 'kysely';
import * as types from '../../store/repositories/activity-types.repository.js';
import type { ActivityTypeRow } from '../../store/repositories/activity-types.repository.js';
import type { Database } from '../../store/schema.js';
import { findCompany } from '../../store/repositories/users.repository.js';
import type { Actor } from '../actor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { requiredName } from '../field-rules.js';
import { nowStored, toV1Time } from '../time.js';
import { ensureActivityTypes } from './activity-type-seed.js';

/** The icons Pipedrive offers for activity types. */
export const ACTIVITY_ICONS = [
  'task', 'email', 'meeting', 'deadline', 'call', 'lunch', 'calendar', 'downarrow', 'document', 'smartphone', 'camera', 'scissors', 'cogs',
  'bubble', 'uparrow', 'checkbox', 'signpost', 'shuffle', 'addressbook', 'linegraph', 'picture', 'car', 'world', 'search', 'clip', 'sound',
  'brush', 'key', 'padlock', 'pricetag', 'suitcase', 'finish', 'plane', 'loop', 'wifi', 'truck', 'cart', 'bulb', 'bell', 'presentation',
] as const;

export interface ActivityTypeInput {
  name?: string;
  icon_key?: string;
  color?: string | null;
  order_nr?: number;
}

/** v1's shape of an activity type. */
export function renderActivityType(row: ActivityTypeRow) {
  return {
    id: row.id,
    order_nr: row.order_nr,
    name: row.name,
    key_string: row.key_string,
    icon_key: row.icon_key,
    active_flag: row.active_flag === 1,
    color: row.color,
    is_custom_flag: row.is_custom_flag === 1,
    add_time: toV1Time(row.add_time) as string,
    update_time: toV1Time(row.update_time) as string,
  };
}

/**
 * Activity types: the company's defaults (call, meeting, task, deadline, email, lunch) and its own. Anyone reads
 * them; only admins change them (the spec's `admin` scope). A deleted type is kept inactive so the activities that
 * name it keep a type; it is no longer accepted for new ones.
 */
export class ActivityTypesService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(actor: Actor): Promise<ActivityTypeRow[]> {
    await ensureActivityTypes(this.db, actor.companyId);
    return types.listActivityTypes(this.db, actor.companyId);
  }

  /** When the company began (v1 time): the add and update time of its system activity fields. */
  async companySince(actor: Actor): Promise<string> {
    const company = await findCompany(this.db, actor.companyId);
    return toV1Time(company?.add_time ?? nowStored()) as string;
  }

  async create(actor: Actor, input: ActivityTypeInput): Promise<ActivityTypeRow> {
    requireAdmin(actor);
    if (input.name === undefined) throw invalid('name is required');
    if (input.icon_key === undefined) throw invalid('icon_key is required');
    const name = requiredName('name', input.name);
    const now = nowStored();
    return this.db.transaction().execute(async (trx) => {
      await ensureActivityTypes(trx, actor.companyId);
      const key = await freeKey(trx, actor.companyId, name);
      const id = await types.insertActivityType(trx, {
        company_id: actor.companyId,
        name,
        key_string: key,
        icon_key: icon(input.icon_key as string),
        color: color(input.color ?? null),
        order_nr: input.order_nr ?? (await types.lastActivityTypeOrder(trx, actor.companyId)) + 1,
        is_custom_flag: 1,
        active_flag: 1,
        add_time: now,
        update_time: now,
      });
      return (await types.findActivityType(trx, actor.companyId, id)) as ActivityTypeRow;
    });
  }

  async update(actor: Actor, id: number, input: ActivityTypeInput): Promise<ActivityTypeRow> {
    requireAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const before = await types.findActivityType(trx, actor.companyId, id);
      if (!before || before.active_flag !== 1) throw typeNotFound(id);
      await types.updateActivityType(trx, actor.companyId, id, {
        ...(input.name !== undefined && { name: requiredName('name', input.name) }),
        ...(input.icon_key !== undefined && { icon_key: icon(input.icon_key) }),
        ...(input.color !== undefined && { color: color(input.color) }),
        ...(input.order_nr !== undefined && { order_nr: input.order_nr }),
        update_time: nowStored(),
      });
      return (await types.findActivityType(trx, actor.companyId, id)) as ActivityTypeRow;
    });
  }

  /** Marks the listed types deleted (inactive), all or none: an id that is no active type of the company is a 404. */
  async remove(actor: Actor, ids: readonly number[]): Promise<ActivityTypeRow[]> {
    requireAdmin(actor);
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw invalid('ids must list at least one activity type id');
    return this.db.transaction().execute(async (trx) => {
      const now = nowStored();
      const removed: ActivityTypeRow[] = [];
      for (const id of unique) {
        const row = await types.findActivityType(trx, actor.companyId, id);
        if (!row || row.active_flag !== 1) throw typeNotFound(id);
        await types.updateActivityType(trx, actor.companyId, id, { active_flag: 0, update_time: now });
        removed.push({ ...row, active_flag: 0, update_time: now });
      }
      return removed;
    });
  }
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('Only an admin can change activity types');
}

function typeNotFound(id: number) {
  return notFound('Activity type not found', `No activity type with id ${id} exists in this company.`);
}

function icon(value: string): string {
  if (!(ACTIVITY_ICONS as readonly string[]).includes(value)) throw invalid(`icon_key "${value}" is not an activity icon`, `Icons: ${ACTIVITY_ICONS.join(', ')}.`);
  return value;
}

function color(value: string | null): string | null {
  if (value === null || value === '') return null;
  if (!/^[0-9A-Fa-f]{6}$/.test(value)) throw invalid(`color must be six hexadecimal digits such as FFFFFF; got "${value}"`);
  return value.toUpperCase();
}

/** A key_string from the name (lower case, words joined by _), numbered when the company has it already. */
async function freeKey(db: Parameters<typeof types.findActivityTypeByKey>[0], companyId: number, name: string): Promise<string> {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'type';
  for (let n = 1; ; n++) {
    const key = n === 1 ? base : `${base}_${n}`;
    if (!(await types.findActivityTypeByKey(db, companyId, key))) return key;
  }
}
