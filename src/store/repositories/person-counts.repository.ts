import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { gathersAcrossRequests } from '../coalesced-reads.js';
import { gatheredReads, rowsByKey } from '../gathered-reads.js';
import { idIn, precompiledOverIds } from '../id-in.js';
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
 * Every count a page of persons asks for (deals: those the viewer may see), in one round trip: a UNION ALL of
 * grouped counts, so a list of 500 persons costs one query, not one per person.
 */
export async function countRelations(db: Executor, companyId: number, request: RelationCountRequest, viewer: RecordViewer): Promise<RelationCountRow[]> {
  if (LISTS.every((list) => request[list].length === 0)) return [];
  if (!viewer.everything) return rowsOf(await relationCountQuery(db, companyId, request, viewer).execute());
  const keys = LISTS.flatMap((list) => request[list].map((id) => ({ companyId, list, id })));
  return (await everyRelationCount(db, keys)).flat();
}

const LISTS = ['dealPersonIds', 'dealOrgIds', 'followerPersonIds', 'notePersonIds'] as const;
const KIND_OF: Record<(typeof LISTS)[number], RelationCountRow['kind']> = {
  dealPersonIds: 'person_deals',
  dealOrgIds: 'org_deals',
  followerPersonIds: 'followers',
  notePersonIds: 'notes',
};

interface CountKey {
  companyId: number;
  list: (typeof LISTS)[number];
  id: number;
}

const rowsOf = (rows: Array<{ kind: string; key: unknown; status: string | null; n: unknown }>): RelationCountRow[] =>
  rows.map((r) => ({ kind: r.kind as RelationCountRow['kind'], key: Number(r.key), status: r.status, n: Number(r.n) }));

/**
 * Counts with no visibility condition, built once per shape (building the union was about a tenth of a v1 GET's
 * CPU): on PostgreSQL every branch with its ids as one array, so one text serves any request, and the keys of
 * concurrent requests share one statement (gathered-reads.ts); on SQLite the branches of the lists not empty, by
 * their lengths.
 */
const everyRelationCount = gatheredReads<CountKey, RelationCountRow[]>(
  (key) => String(key.companyId),
  async (db, keys) => {
    const request: RelationCountRequest & { companyId: number } = { companyId: keys[0].companyId, dealPersonIds: [], dealOrgIds: [], followerPersonIds: [], notePersonIds: [] };
    for (const list of LISTS) request[list] = [...new Set(keys.filter((key) => key.list === list).map((key) => key.id))];
    const rows = rowsByKey(rowsOf((await everyCountStatement(db, request)).rows), (row) => `${row.kind} ${row.key}`);
    return keys.map((key) => rows.get(`${KIND_OF[key.list]} ${key.id}`) ?? []);
  },
  { gathers: gathersAcrossRequests },
);

const everyCountStatement = precompiledOverIds(
  (db, p: RelationCountRequest & { companyId: number }, asArray) => relationCountQuery(db, p.companyId, p, { everything: true }, asArray),
  LISTS,
);

/**
 * The union of grouped counts for the lists that are not empty (at least one is); with `asArray` (PostgreSQL), of
 * every list, each as one array value (an empty one finds nothing).
 */
function relationCountQuery(db: Executor, companyId: number, request: RelationCountRequest, viewer: RecordViewer, asArray = false) {
  const wanted = (ids: number[]) => asArray || ids.length > 0;
  const branches = [];
  if (wanted(request.dealPersonIds)) {
    branches.push(
      withVisibility(db.selectFrom('deals'), viewer, 'deals')
        .select((eb) => [sql<string>`'person_deals'`.as('kind'), eb.ref('person_id').$castTo<number>().as('key'), 'status', eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where('deleted_time', 'is', null)
        .where(idIn('person_id', request.dealPersonIds, asArray))
        .groupBy(['person_id', 'status']),
    );
  }
  if (wanted(request.dealOrgIds)) {
    branches.push(
      withVisibility(db.selectFrom('deals'), viewer, 'deals')
        .select((eb) => [sql<string>`'org_deals'`.as('kind'), eb.ref('org_id').$castTo<number>().as('key'), 'status', eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where('deleted_time', 'is', null)
        .where(idIn('org_id', request.dealOrgIds, asArray))
        .groupBy(['org_id', 'status']),
    );
  }
  if (wanted(request.followerPersonIds)) {
    branches.push(
      db
        .selectFrom('person_followers')
        .select((eb) => [sql<string>`'followers'`.as('kind'), eb.ref('person_id').as('key'), sql<string | null>`null`.as('status'), eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where(idIn('person_id', request.followerPersonIds, asArray))
        .groupBy('person_id'),
    );
  }
  if (wanted(request.notePersonIds)) branches.push(countPersonNotesQuery(db, companyId, request.notePersonIds, viewer, asArray) as never);
  // The branches have the same columns; Kysely's union typing cannot see that through the differing tables.
  const [first, ...rest] = branches as any[];
  return rest.reduce((union, branch) => union.unionAll(branch), first) as typeof branches[0];
}
