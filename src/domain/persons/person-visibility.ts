import type { Kysely } from 'kysely';
import { followerUserIds } from '../../store/repositories/person-followers.repository.js';
import { findPerson } from '../../store/repositories/persons.repository.js';
import { listUsers } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';

export interface VisibilityUser {
  id: number;
  is_admin: number;
  active_flag: number;
}

/**
 * The one rule for who may see a person, by its `visible_to`: 1 (owner & followers) lets the owner, the
 * followers and the company's admins see it; 3, 5 and 7 let the whole company see it, because visibility groups
 * are not modelled yet (on Pipedrive's higher plans 3 and 5 mean the owner's visibility group). Only active users.
 */
export function usersWhoMaySee(person: { owner_id: number; visible_to: number }, followerIds: readonly number[], users: readonly VisibilityUser[]): number[] {
  const active = users.filter((u) => u.active_flag === 1);
  if (person.visible_to !== 1) return active.map((u) => u.id).sort((a, b) => a - b);
  const allowed = new Set([person.owner_id, ...followerIds]);
  return active.filter((u) => u.is_admin === 1 || allowed.has(u.id)).map((u) => u.id).sort((a, b) => a - b);
}

/** `GET /persons/{id}/permittedUsers`: the ids of the users who may see the person. */
export async function permittedUsersOf(db: Kysely<Database>, actor: Actor, personId: number): Promise<number[]> {
  const person = await findPerson(db, actor.companyId, personId);
  if (!person) throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
  const [followers, users] = await Promise.all([followerUserIds(db, actor.companyId, personId), listUsers(db, actor.companyId)]);
  return usersWhoMaySee(person, followers, users);
}
