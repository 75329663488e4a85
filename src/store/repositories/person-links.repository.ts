import type { Executor } from '../executor.js';

/** Tables whose rows point at one person (`person_id`) and are soft-deleted (`deleted_time`). */
export type PersonLinkedTable = 'deals' | 'notes' | 'activities';

/**
 * Points the listed live rows of one person at another (a merge, or an unmerge moving them back). Rows that moved
 * elsewhere or were deleted meanwhile are left alone.
 */
export async function repointPersonRows(
  db: Executor,
  table: PersonLinkedTable,
  companyId: number,
  ids: readonly number[],
  fromPersonId: number,
  toPersonId: number,
  time: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable(table as 'deals')
    .set({ person_id: toPersonId, update_time: time })
    .where('company_id', '=', companyId)
    .where('id', 'in', [...ids])
    .where('person_id', '=', fromPersonId)
    .where('deleted_time', 'is', null)
    .execute();
}
