import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { type RecordViewer, recordVisibleTo, withVisibility } from '../record-visibility.js';
import { countLinkedNotes } from './notes.repository.js';
import { countRecordFollowers } from './record-followers.repository.js';
import { personCountsByOrganization } from './related-objects.repository.js';

/** Which groups of counts a page of organizations asks for. */
export interface OrganizationCountRequest {
  people: boolean;
  deals: boolean;
  relatedDeals: boolean;
  notes: boolean;
  followers: boolean;
}

export interface OrganizationCountRows {
  /** Live persons the viewer may see, per organization. */
  people: Map<number, number>;
  /** Live deals of the organization the viewer may see, per status. */
  deals: { orgId: number; status: string; n: number }[];
  /** Live deals of the organization's persons that name another organization or none, per status. */
  relatedDeals: { orgId: number; status: string; n: number }[];
  /** Live notes the viewer may see. */
  notes: Map<number, number>;
  followers: Map<number, number>;
}

const byStatus = (rows: { key: unknown; status: string; n: unknown }[]) => rows.map((r) => ({ orgId: Number(r.key), status: r.status, n: Number(r.n) }));

/** The counts of a page of organizations: one grouped query per group asked for, whatever the page size. */
export async function countOrganizationRelations(
  db: Executor,
  companyId: number,
  orgIds: readonly number[],
  want: OrganizationCountRequest,
  viewer: RecordViewer,
): Promise<OrganizationCountRows> {
  const ids = [...orgIds];
  const none = Promise.resolve([]);
  const [people, deals, relatedDeals, notes, followers] = await Promise.all([
    want.people ? personCountsByOrganization(db, companyId, ids, viewer) : Promise.resolve(new Map<number, number>()),
    want.deals && ids.length > 0
      ? withVisibility(db.selectFrom('deals'), viewer, 'deals')
          .select((eb) => [eb.ref('deals.org_id').as('key'), 'deals.status', eb.fn.countAll<number>().as('n')])
          .where('deals.company_id', '=', companyId)
          .where('deals.deleted_time', 'is', null)
          .where('deals.org_id', 'in', ids)
          .groupBy(['deals.org_id', 'deals.status'])
          .execute()
      : none,
    want.relatedDeals && ids.length > 0 ? relatedDealCounts(db, companyId, ids, viewer) : none,
    want.notes ? countLinkedNotes(db, companyId, 'org_id', ids, viewer) : Promise.resolve(new Map<number, number>()),
    want.followers ? countRecordFollowers(db, companyId, 'org_id', ids) : Promise.resolve(new Map<number, number>()),
  ]);
  return {
    people,
    deals: byStatus(deals as { key: unknown; status: string; n: unknown }[]),
    relatedDeals: byStatus(relatedDeals as { key: unknown; status: string; n: unknown }[]),
    notes,
    followers,
  };
}

/** Deals reached through the organization's persons (both seen by the viewer) and not already its own. */
function relatedDealCounts(db: Executor, companyId: number, ids: number[], viewer: RecordViewer) {
  let query = db
    .selectFrom('deals')
    .innerJoin('persons', 'persons.id', 'deals.person_id')
    .select((eb) => [eb.ref('persons.org_id').as('key'), 'deals.status', eb.fn.countAll<number>().as('n')])
    .where('deals.company_id', '=', companyId)
    .where('deals.deleted_time', 'is', null)
    .where('persons.company_id', '=', companyId)
    .where('persons.deleted_time', 'is', null)
    .where('persons.org_id', 'in', ids)
    .where((eb) => eb.or([eb('deals.org_id', 'is', null), eb('deals.org_id', '!=', sql.ref<number>('persons.org_id'))]));
  if (!viewer.everything) query = query.where(recordVisibleTo('deals', viewer) as never).where(recordVisibleTo('persons', viewer) as never);
  return query.groupBy(['persons.org_id', 'deals.status']).execute();
}
