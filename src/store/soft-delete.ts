import type { Executor } from './executor.js';

/** The tables whose rows are soft-deleted: marked with deleted_time, purged after the retention window. */
export type SoftDeletedTable = 'persons' | 'organizations' | 'deals' | 'notes' | 'activities';

/** Marks a live row deleted (update_time moves with it); answers whether a live row was there to delete. */
export async function markDeleted(db: Executor, table: SoftDeletedTable, companyId: number, id: number, time: string): Promise<boolean> {
  const result = await db
    .updateTable(table as 'persons')
    .set({ deleted_time: time, update_time: time })
    .where('id', '=', id)
    .where('company_id', '=', companyId)
    .where('deleted_time', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
