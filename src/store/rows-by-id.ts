import { type CoalescedReads, coalescedById } from './coalesced-reads.js';
import type { Executor } from './executor.js';
import { idIn, precompiledOverIds } from './id-in.js';
import { precompiled } from './precompiled.js';

/** Tables read whole by id. */
export type ByIdTable = 'users' | 'organizations' | 'deals';

/**
 * A table's rows by id (all of them, or with `live` those not deleted), built once, and on PostgreSQL shared by the
 * reads of concurrent requests (coalesced-reads.ts) with the ids as one array: a v1 GET names its person's owner and
 * organization, and a GET of an organization or a deal reads its row.
 */
export function rowsById<Row extends { id: number }>(table: ByIdTable, { live = false } = {}): CoalescedReads<Row> {
  // One table's select, typed as the deals table's (which has every column filtered on here); the caller names the row type.
  const from = (db: Executor, companyId: number) => {
    const query = db.selectFrom(table as 'deals').selectAll().where('company_id', '=', companyId);
    return live ? query.where('deleted_time', 'is', null) : query;
  };
  const byId = precompiled((db, p: { companyId: number; id: number }) => from(db, p.companyId).where('id', '=', p.id));
  const byIds = precompiledOverIds((db, p: { companyId: number; ids: number[] }, asArray) => from(db, p.companyId).where(idIn('id', p.ids, asArray)), ['ids']);
  return coalescedById<Row>(
    async (db, companyId, id) => (await byId(db, { companyId, id })).rows[0] as Row | undefined,
    async (db, companyId, ids) => (await byIds(db, { companyId, ids })).rows as Row[],
  );
}
