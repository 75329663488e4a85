import type { Kysely } from 'kysely';
import { findPerson } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import { permittedUserIds, viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';

/**
 * `GET /persons/{id}/permittedUsers`: the ids of the users who may see the person, by the one visibility rule
 * (domain/access/visibility.ts); a person the caller may not see is a 404 like a missing one.
 */
export async function permittedUsersOf(db: Kysely<Database>, actor: Actor, personId: number): Promise<number[]> {
  const person = await findPerson(db, actor.companyId, personId, await viewerOf(db, actor));
  if (!person) throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
  return permittedUserIds(db, actor.companyId, person);
}
