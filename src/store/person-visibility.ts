import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from './schema.js';

/** Users in no visibility group belong to the company's implicit top group, written 0 here. */
export const TOP_GROUP = 0;

/**
 * Whose eyes a query reads persons with. Admins see everything; everyone else sees by `visible_to` (the rule is
 * userMaySee in domain/access/visibility.ts; this predicate is its SQL form).
 */
export type PersonViewer =
  | { everything: true }
  | {
      everything: false;
      userId: number;
      /** The viewer's group (TOP_GROUP when in none). */
      groupId: number;
      /** The viewer's group, then each parent up to and including TOP_GROUP. */
      groupChain: readonly number[];
    };

export const SEES_EVERYTHING: PersonViewer = { everything: true };

/**
 * The one store-level visibility predicate over `persons`: owner; `visible_to` 7; 3 and 5 for the owner's group;
 * 5 also for the sub-groups of the owner's group; and followers, whatever the level. Every query that returns
 * persons to a caller adds it through withVisibility.
 */
export function personVisibleTo(viewer: Extract<PersonViewer, { everything: false }>) {
  return (eb: ExpressionBuilder<Database, 'persons'>): Expression<SqlBool> => {
    const ownerGroup = eb.fn.coalesce(
      eb.selectFrom('visibility_group_members as vgm').select('vgm.group_id').whereRef('vgm.user_id', '=', 'persons.owner_id'),
      sql.lit(TOP_GROUP),
    );
    return eb.or([
      eb('persons.owner_id', '=', viewer.userId),
      eb('persons.visible_to', '=', 7),
      eb.and([eb('persons.visible_to', 'in', [3, 5]), eb(ownerGroup, '=', viewer.groupId)]),
      eb.and([eb('persons.visible_to', '=', 5), eb(ownerGroup, 'in', [...viewer.groupChain])]),
      eb.exists(
        eb
          .selectFrom('person_followers as pf')
          .select(sql.lit(1).as('one'))
          .whereRef('pf.person_id', '=', 'persons.id')
          .where('pf.user_id', '=', viewer.userId),
      ),
    ]);
  };
}

/** Adds the predicate to a query over `persons` unless the viewer sees everything (admins pay nothing). */
export function withVisibility<Q extends { where(expression: (eb: ExpressionBuilder<Database, 'persons'>) => Expression<SqlBool>): Q }>(
  query: Q,
  viewer: PersonViewer | undefined,
): Q {
  return viewer === undefined || viewer.everything ? query : query.where(personVisibleTo(viewer));
}
