import type { Kysely } from 'kysely';
import { findPerson } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import { type GroupTree, activeUsersWhoMaySee, permittedUserIds, viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';

export interface VisibilityUser {
  id: number;
  is_admin: number;
  active_flag: number;
}

export interface UserGroups {
  /** The group of each user in one; others are in the top group. */
  memberships: ReadonlyMap<number, number>;
  tree: GroupTree;
}

const NO_GROUPS: UserGroups = { memberships: new Map(), tree: { parentOf: new Map() } };

/**
 * The active users who may see a person, by the one rule of domain/access/visibility.ts. Without `groups`
 * every user counts as in the top group, which is exact for companies that have no visibility groups; callers
 * that can load them should use permittedUserIds, which does.
 */
export function usersWhoMaySee(
  person: { owner_id: number; visible_to: number },
  followerIds: readonly number[],
  users: readonly VisibilityUser[],
  groups: UserGroups = NO_GROUPS,
): number[] {
  return activeUsersWhoMaySee(person, followerIds, users, groups.memberships, groups.tree);
}

/** `GET /persons/{id}/permittedUsers`: the ids of the users who may see the person (404 when the caller may not). */
export async function permittedUsersOf(db: Kysely<Database>, actor: Actor, personId: number): Promise<number[]> {
  const person = await findPerson(db, actor.companyId, personId, await viewerOf(db, actor));
  if (!person) throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
  return permittedUserIds(db, actor.companyId, person);
}
