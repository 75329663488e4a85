import type { Executor } from '../executor.js';

export async function getSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores the value unless the key exists; answers whether this call stored it. */
export async function insertSettingIfAbsent(db: Executor, key: string, value: string): Promise<boolean> {
  const result = await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Stores the value unless the key exists; returns whatever is stored afterwards (first writer wins). */
export async function ensureSetting(db: Executor, key: string, value: string): Promise<string> {
  await insertSettingIfAbsent(db, key, value);
  return (await getSetting(db, key)) as string;
}

/** Stores the value, replacing any earlier one. */
export async function setSetting(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
