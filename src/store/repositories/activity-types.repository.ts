import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../executor.js';
import type { ActivityTypesTable } from '../schema.js';

export type ActivityTypeRow = Selectable<ActivityTypesTable>;
export type ActivityTypeChanges = Updateable<ActivityTypesTable>;

/** The types a company starts with, as Pipedrive's: name, and the key_string that is also the icon. */
export const DEFAULT_ACTIVITY_TYPES = [
  ['Call', 'call'],
  ['Meeting', 'meeting'],
  ['Task', 'task'],
  ['Deadline', 'deadline'],
  ['Email', 'email'],
  ['Lunch', 'lunch'],
] as const;

/**
 * Gives a company the default types it lacks (a new company, one just reset, or one made before types existed).
 * Concurrent callers are safe: the unique (company, key_string) index makes each insert happen once.
 */
export async function insertDefaultActivityTypes(db: Executor, companyId: number, now: string): Promise<void> {
  const rows: Insertable<ActivityTypesTable>[] = DEFAULT_ACTIVITY_TYPES.map(([name, key], i) => ({
    company_id: companyId,
    name,
    key_string: key,
    icon_key: key,
    color: null,
    order_nr: i + 1,
    is_custom_flag: 0,
    active_flag: 1,
    add_time: now,
    update_time: now,
  }));
  await db.insertInto('activity_types').values(rows).onConflict((oc) => oc.columns(['company_id', 'key_string']).doNothing()).execute();
}

/** Whether the company has any type at all, deleted ones included (none: it was never given its defaults). */
export async function hasActivityTypes(db: Executor, companyId: number): Promise<boolean> {
  return (await db.selectFrom('activity_types').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst()) !== undefined;
}

/** Every type of the company, deleted ones too (they keep their key), in order. */
export async function listActivityTypes(db: Executor, companyId: number): Promise<ActivityTypeRow[]> {
  return db.selectFrom('activity_types').selectAll().where('company_id', '=', companyId).orderBy('order_nr').orderBy('id').execute();
}

export async function findActivityType(db: Executor, companyId: number, id: number): Promise<ActivityTypeRow | undefined> {
  return db.selectFrom('activity_types').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findActivityTypeByKey(db: Executor, companyId: number, key: string): Promise<ActivityTypeRow | undefined> {
  return db.selectFrom('activity_types').selectAll().where('company_id', '=', companyId).where('key_string', '=', key).executeTakeFirst();
}

export async function insertActivityType(db: Executor, row: Insertable<ActivityTypesTable>): Promise<number> {
  return (await db.insertInto('activity_types').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateActivityType(db: Executor, companyId: number, id: number, changes: ActivityTypeChanges): Promise<void> {
  await db.updateTable('activity_types').set(changes).where('company_id', '=', companyId).where('id', '=', id).execute();
}

/** The highest order_nr of the company's types (0 when none). */
export async function lastActivityTypeOrder(db: Executor, companyId: number): Promise<number> {
  const row = await db.selectFrom('activity_types').select((eb) => eb.fn.max('order_nr').as('n')).where('company_id', '=', companyId).executeTakeFirst();
  return Number(row?.n ?? 0);
}
