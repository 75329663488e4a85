import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from './executor.js';
import type { Database } from './schema.js';

/** Users in no visibility group belong to the company's implicit top group, written 0 here. */
export const TOP_GROUP = 0;

/**
 * Whose eyes a query reads owned records (persons, organizations, deals) with. Admins see everything; everyone else
 * sees by `visible_to` (the rule is userMaySee in domain/access/visibility.ts; recordVisibleTo is its SQL form).
 */
export type RecordViewer =
  | { everything: true }
  | {
      everything: false;
      userId: number;
      /** The viewer's group (TOP_GROUP when in none). */
      groupId: number;
      /** The viewer's group, then each parent up to and including TOP_GROUP. */
      groupChain: readonly number[];
    };

export type LimitedViewer = Extract<RecordViewer, { everything: false }>;

export const SEES_EVERYTHING: RecordViewer = { everything: true };

/** The tables whose rows have an owner and a `visible_to` level. */
export type OwnedTable = 'persons' | 'organizations' | 'deals';

/**
 * The one store-level visibility predicate over an owned table: owner; `visible_to` 7; 3 and 5 for the owner's
 * group; 5 also for the sub-groups of the owner's group; and, for persons, followers whatever the level
 * (personsd keeps followers for persons only). Every query that returns owned records to a caller adds it through
 * withVisibility, or filters ids through it.
 */
export function recordVisibleTo(table: OwnedTable, viewer: LimitedViewer) {
  return (eb: ExpressionBuilder<Database, OwnedTable>): Expression<SqlBool> => {
    const owner = sql.ref<number>(`${table}.owner_id`);
    const level = sql.ref<number>(`${table}.visible_to`);
    const ownerGroup = eb.fn.coalesce(
      eb.selectFrom('visibility_group_members as vgm').select('vgm.group_id').where('vgm.user_id', '=', owner),
      sql.lit(TOP_GROUP),
    );
    const branches = [
      eb(owner, '=', viewer.userId),
      eb(level, '=', 7),
      eb.and([eb(level, 'in', [3, 5]), eb(ownerGroup, '=', viewer.groupId)]),
      eb.and([eb(level, '=', 5), eb(ownerGroup, 'in', [...viewer.groupChain])]),
    ];
    if (table === 'persons') {
      branches.push(
        eb.exists(
          eb
            .selectFrom('person_followers as pf')
            .select(sql.lit(1).as('one'))
            .where('pf.person_id', '=', sql.ref<number>('persons.id'))
            .where('pf.user_id', '=', viewer.userId),
        ),
      );
    }
    return eb.or(branches);
  };
}

/** Adds the predicate to a query over an owned table unless the viewer sees everything (admins pay nothing). */
export function withVisibility<Q extends { where(expression: (eb: ExpressionBuilder<Database, never>) => Expression<SqlBool>): Q }>(
  query: Q,
  viewer: RecordViewer | undefined,
  table: OwnedTable = 'persons',
): Q {
  return viewer === undefined || viewer.everything ? query : query.where(recordVisibleTo(table, viewer) as never);
}

/**
 * Which of the ids (live or deleted) are records of the company the viewer may see: for pages of hits and for
 * references rendered beside a record (related objects, search items' organizations).
 */
export async function visibleIds(db: Executor, table: OwnedTable, companyId: number, ids: readonly number[], viewer: RecordViewer): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  if (viewer.everything) return new Set(ids);
  const query = db.selectFrom(table).select('id').where('company_id', '=', companyId).where('id', 'in', [...ids]);
  return new Set((await withVisibility(query, viewer, table).execute()).map((r) => r.id));
}

/**
 * Things attached to persons, organizations and deals (notes, activities) are seen by whoever sees every record
 * they are linked to: a user who may not see the person may not see what is written or planned about them. The
 * predicate for `table`, whose `person_id`, `org_id` and `deal_id` columns name the links.
 */
export function linkedRecordsVisibleTo(table: 'notes' | 'activities', viewer: LimitedViewer) {
  const links = [
    { column: `${table}.person_id`, owner: 'persons' },
    { column: `${table}.org_id`, owner: 'organizations' },
    { column: `${table}.deal_id`, owner: 'deals' },
  ] as const;
  return (eb: ExpressionBuilder<Database, never>) =>
    eb.and(
      links.map(({ column, owner }) =>
        eb.or([
          eb(sql.ref<number | null>(column), 'is', null),
          eb.exists(
            eb
              .selectFrom(owner)
              .select(sql.lit(1).as('one'))
              .where(sql.ref<number>(`${owner}.id`), '=', sql.ref<number>(column))
              .where(recordVisibleTo(owner, viewer) as never),
          ),
        ]),
      ),
    );
}
