import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import { countPersonNotesQuery } from './notes.repository.js';

/** One group of a page's counts: live deals of a person or an organization per status, a person's followers or notes. */
export interface RelationCountRow {
  kind: 'person_deals' | 'org_deals' | 'followers' | 'notes';
  key: number;
  status: string | null;
  n: number;
}

export interface RelationCountRequest {
  /** Persons whose own deals are counted. */
  dealPersonIds: number[];
  /** Organizations whose deals are counted (the persons' "related" deals). */
  dealOrgIds: number[];
  /** Persons whose followers are counted. */
  followerPersonIds: number[];
  /** Persons whose notes are counted (those the viewer may see). */
  notePersonIds: number[];
}

/**
 * Every count a page of persons asks for (deals: those the viewer may see), in one round trip: a UNION ALL of grouped counts, so a list of 500
 * persons costs one query, not one per person.
 */
export async function countRelations(db: Executor, companyId: number, request: RelationCountRequest, viewer: RecordViewer): Promise<RelationCountRow[]> {
  const branches = [];
  if (request.dealPersonIds.length > 0) {
    branches.push(
      withVisibility(db.selectFrom('deals'), viewer, 'deals')
        .select((eb) => [sql<string>`'person_deals'`.as('kind'), eb.ref('person_id').$castTo<number>().as('key'), 'status', eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where('deleted_time', 'is', null)
        .where('person_id', 'in', request.dealPersonIds)
        .groupBy(['person_id', 'status']),
    );
  }
  if (request.dealOrgIds.length > 0) {
    branches.push(
      withVisibility(db.selectFrom('deals'), viewer, 'deals')
        .select((eb) => [sql<string>`'org_deals'`.as('kind'), eb.ref('org_id').$castTo<number>().as('key'), 'status', eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where('deleted_time', 'is', null)
        .where('org_id', 'in', request.dealOrgIds)
        .groupBy(['org_id', 'status']),
    );
  }
  if (request.followerPersonIds.length > 0) {
    branches.push(
      db
        .selectFrom('person_followers')
        .select((eb) => [sql<string>`'followers'`.as('kind'), eb.ref('person_id').as('key'), sql<string | null>`null`.as('status'), eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where('person_id', 'in', request.followerPersonIds)
        .groupBy('person_id'),
    );
  }
  if (request.notePersonIds.length > 0) branches.push(countPersonNotesQuery(db, companyId, request.notePersonIds, viewer) as never);
  if (branches.length === 0) return [];
  // The branches have the same columns; Kysely's union typing cannot see that through the differing tables.
  const [first, ...rest] = branches as any[];
  const query = rest.reduce((union, branch) => union.unionAll(branch), first) as typeof branches[0];
  const rows = await query.execute();
  return rows.map((r) => ({ kind: r.kind as RelationCountRow['kind'], key: Number(r.key), status: r.status, n: Number(r.n) }));
}
