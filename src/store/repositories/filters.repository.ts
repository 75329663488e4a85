import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../executor.js';
import type { FiltersTable } from '../schema.js';

export type FilterRow = Selectable<FiltersTable>;
export type NewFilterRow = Insertable<FiltersTable>;

/** The live filter, whoever owns it (the service applies the filter's own visibility). */
export async function findFilter(db: Executor, companyId: number, id: number): Promise<FilterRow | undefined> {
  return db.selectFrom('filters').selectAll().where('company_id', '=', companyId).where('id', '=', id).where('deleted_time', 'is', null).executeTakeFirst();
}

/** The company's live filters, optionally of one type, in id order. A company keeps a handful, so no paging. */
export async function listFilters(db: Executor, companyId: number, type?: string): Promise<FilterRow[]> {
  let query = db.selectFrom('filters').selectAll().where('company_id', '=', companyId).where('deleted_time', 'is', null);
  if (type !== undefined) query = query.where('type', '=', type);
  return query.orderBy('id').execute();
}

export async function insertFilter(db: Executor, row: NewFilterRow): Promise<number> {
  return (await db.insertInto('filters').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateFilter(db: Executor, companyId: number, id: number, changes: Updateable<FiltersTable>): Promise<void> {
  await db.updateTable('filters').set(changes).where('company_id', '=', companyId).where('id', '=', id).execute();
}

export async function markFiltersDeleted(db: Executor, companyId: number, ids: readonly number[], time: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('filters').set({ deleted_time: time }).where('company_id', '=', companyId).where('id', 'in', ids).where('deleted_time', 'is', null).execute();
}
