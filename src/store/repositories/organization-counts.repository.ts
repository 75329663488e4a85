import { sql } from 'kysely';
import { gathersAcrossRequests } from '../coalesced-reads.js';
import type { Executor } from '../executor.js';
import { gatheredReads, rowsByKey } from '../gathered-reads.js';
import { idIn, precompiledOverIds } from '../id-in.js';
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

/**
 * The counts of a page of organizations: for a viewer limited by visibility, one grouped query per group asked for,
 * whatever the page size; for one who sees everything, the deal, related deal, note and follower counts as one
 * union, built once, and on PostgreSQL shared with concurrent requests' (everyCount, below).
 */
export async function countOrganizationRelations(
  db: Executor,
  companyId: number,
  orgIds: readonly number[],
  want: OrganizationCountRequest,
  viewer: RecordViewer,
): Promise<OrganizationCountRows> {
  const ids = [...orgIds];
  const people = want.people ? personCountsByOrganization(db, companyId, ids, viewer) : Promise.resolve(new Map<number, number>());
  if (viewer.everything) {
    const kinds = COUNT_KINDS.filter((kind) => want[kind]);
    const keys = kinds.flatMap((kind) => ids.map((orgId) => ({ companyId, kind, orgId })));
    const [counted, rows] = await Promise.all([people, keys.length === 0 ? [] : everyCount(db, keys)]);
    return rowsByKind(counted, rows.flat());
  }
  const none = Promise.resolve([]);
  const [counted, deals, relatedDeals, notes, followers] = await Promise.all([
    people,
    want.deals && ids.length > 0
      ? withVisibility(db.selectFrom('deals'), viewer, 'deals')
          .select((eb) => [eb.ref('deals.org_id').as('key'), 'deals.status', eb.fn.countAll<number>().as('n')])
          .where('deals.company_id', '=', companyId)
          .where('deals.deleted_time', 'is', null)
          .where('deals.org_id', 'in', ids)
          .groupBy(['deals.org_id', 'deals.status'])
          .execute()
      : none,
    want.relatedDeals && ids.length > 0 ? relatedDealCounts(db, companyId, ids, viewer).execute() : none,
    want.notes ? countLinkedNotes(db, companyId, 'org_id', ids, viewer) : Promise.resolve(new Map<number, number>()),
    want.followers ? countRecordFollowers(db, companyId, 'org_id', ids) : Promise.resolve(new Map<number, number>()),
  ]);
  return {
    people: counted,
    deals: byStatus(deals as { key: unknown; status: string; n: unknown }[]),
    relatedDeals: byStatus(relatedDeals as { key: unknown; status: string; n: unknown }[]),
    notes,
    followers,
  };
}

const COUNT_KINDS = ['deals', 'relatedDeals', 'notes', 'followers'] as const;
type CountKind = (typeof COUNT_KINDS)[number];

interface CountKey {
  companyId: number;
  kind: CountKind;
  orgId: number;
}

interface CountRow {
  kind: CountKind;
  key: number;
  status: string | null;
  n: number;
}

function rowsByKind(people: Map<number, number>, rows: readonly CountRow[]): OrganizationCountRows {
  const counts = (kind: CountKind) => new Map(rows.filter((r) => r.kind === kind).map((r) => [r.key, r.n]));
  const statuses = (kind: CountKind) => rows.filter((r) => r.kind === kind).map((r) => ({ orgId: r.key, status: r.status as string, n: r.n }));
  return { people, deals: statuses('deals'), relatedDeals: statuses('relatedDeals'), notes: counts('notes'), followers: counts('followers') };
}

/**
 * The counts of a viewer who sees everything: the union's text depends only on which kinds are asked for (SQLite:
 * and on how many ids each has; PostgreSQL: every kind, its ids one array, so one text serves any request).
 */
const everyCount = gatheredReads<CountKey, CountRow[]>(
  (key) => String(key.companyId),
  async (db, keys) => {
    const request = { companyId: keys[0].companyId, deals: [] as number[], relatedDeals: [] as number[], notes: [] as number[], followers: [] as number[] };
    for (const kind of COUNT_KINDS) request[kind] = [...new Set(keys.filter((key) => key.kind === kind).map((key) => key.orgId))];
    const { rows } = await countStatement(db, request);
    const counted = (rows as Array<{ kind: CountKind; key: unknown; status: string | null; n: unknown }>).map((r) => ({ kind: r.kind, key: Number(r.key), status: r.status, n: Number(r.n) }));
    const byKey = rowsByKey(counted, (row) => `${row.kind} ${row.key}`);
    return keys.map((key) => byKey.get(`${key.kind} ${key.orgId}`) ?? []);
  },
  { gathers: gathersAcrossRequests },
);

type CountRequest = Record<CountKind, number[]> & { companyId: number };
const countStatement = precompiledOverIds(countUnion, COUNT_KINDS);

/** The union of the kinds with ids (with `asArray`, of every kind, an empty array finding nothing). */
function countUnion(db: Executor, p: CountRequest, asArray: boolean) {
  const { companyId } = p;
  const wanted = (ids: number[]) => asArray || ids.length > 0;
  const branches = [];
  if (wanted(p.deals)) {
    branches.push(
      db
        .selectFrom('deals')
        .select((eb) => [sql<string>`'deals'`.as('kind'), eb.ref('deals.org_id').as('key'), 'deals.status', eb.fn.countAll<number>().as('n')])
        .where('deals.company_id', '=', companyId)
        .where('deals.deleted_time', 'is', null)
        .where(idIn('deals.org_id', p.deals, asArray))
        .groupBy(['deals.org_id', 'deals.status']),
    );
  }
  if (wanted(p.relatedDeals)) branches.push(relatedDealCounts(db, companyId, p.relatedDeals, { everything: true }, asArray) as never);
  if (wanted(p.notes)) {
    branches.push(
      db
        .selectFrom('notes')
        .select((eb) => [sql<string>`'notes'`.as('kind'), eb.ref('notes.org_id').as('key'), sql<string | null>`null`.as('status'), eb.fn.countAll<number>().as('n')])
        .where('notes.company_id', '=', companyId)
        .where('notes.deleted_time', 'is', null)
        .where(idIn('notes.org_id', p.notes, asArray))
        .groupBy('notes.org_id'),
    );
  }
  if (wanted(p.followers)) {
    branches.push(
      db
        .selectFrom('record_followers')
        .select((eb) => [sql<string>`'followers'`.as('kind'), eb.ref('org_id').as('key'), sql<string | null>`null`.as('status'), eb.fn.countAll<number>().as('n')])
        .where('company_id', '=', companyId)
        .where(idIn('org_id', p.followers, asArray))
        .groupBy('org_id'),
    );
  }
  // The branches have the same columns; Kysely's union typing cannot see that through the differing tables.
  const [first, ...rest] = branches as any[];
  return rest.reduce((union, branch) => union.unionAll(branch), first) as typeof branches[0];
}

/**
 * Deals reached through the organization's persons (both seen by the viewer) and not already its own, grouped per
 * organization and status (`kind` names the group in countUnion's union).
 */
function relatedDealCounts(db: Executor, companyId: number, ids: number[], viewer: RecordViewer, asArray = false) {
  let query = db
    .selectFrom('deals')
    .innerJoin('persons', 'persons.id', 'deals.person_id')
    .select((eb) => [sql<string>`'relatedDeals'`.as('kind'), eb.ref('persons.org_id').as('key'), 'deals.status', eb.fn.countAll<number>().as('n')])
    .where('deals.company_id', '=', companyId)
    .where('deals.deleted_time', 'is', null)
    .where('persons.company_id', '=', companyId)
    .where('persons.deleted_time', 'is', null)
    .where(idIn('persons.org_id', ids, asArray))
    .where((eb) => eb.or([eb('deals.org_id', 'is', null), eb('deals.org_id', '!=', sql.ref<number>('persons.org_id'))]));
  if (!viewer.everything) query = query.where(recordVisibleTo('deals', viewer) as never).where(recordVisibleTo('persons', viewer) as never);
  return query.groupBy(['persons.org_id', 'deals.status']);
}
