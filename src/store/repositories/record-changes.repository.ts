import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import type { RecordChangesTable } from '../schema.js';

export type RecordChangeRow = Selectable<RecordChangesTable>;
export type NewRecordChangeRow = Insertable<RecordChangesTable>;
/** Which record a change belongs to: the link column of `record_changes`. */
export type ChangedLink = 'org_id' | 'deal_id';

export async function insertRecordChanges(db: Executor, rows: NewRecordChangeRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('record_changes').values(rows).execute();
}

/** A keyset page of one record's field changes (`offset` for v1 clients that send `start`). */
export async function listRecordChangesPage(db: Executor, companyId: number, link: ChangedLink, recordId: number, page: KeysetPage, offset = 0): Promise<RecordChangeRow[]> {
  const paged = keysetPage(db.selectFrom('record_changes').selectAll().where('company_id', '=', companyId).where(link, '=', recordId), page);
  return (offset > 0 ? paged.offset(offset) : paged).execute();
}

/** The newest field changes of a record, newest first (the update feed merges them with other sources). */
export async function recentRecordChanges(db: Executor, companyId: number, link: ChangedLink, recordId: number, includeCustom: boolean, limit: number): Promise<RecordChangeRow[]> {
  let query = db.selectFrom('record_changes').selectAll().where('company_id', '=', companyId).where(link, '=', recordId);
  if (!includeCustom) query = query.where('is_custom', '=', 0);
  return query.orderBy('time', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
