import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as followers from '../../store/repositories/person-followers.repository.js';
import type { FollowerRow } from '../../store/repositories/person-followers.repository.js';
import { type PersonChangeRow, insertPersonChanges, listPersonChangesPage } from '../../store/repositories/person-changes.repository.js';
import { findPerson } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { DEFAULT_LIMIT, pageFromRequest, pageResult } from '../paging.js';
import { nowStored } from '../time.js';
import { HISTORY, historyEntry } from './history-entries.js';
import { viewerOf } from '../access/visibility.js';

export interface CursorRequest {
  limit?: number;
  cursor?: string;
}

export interface OffsetRequest {
  start?: number;
  limit?: number;
}

/** Who follows a person. Following changes are history entries of the person, in the same transaction. */
export class PersonFollowersService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
  ) {}

  async list(actor: Actor, personId: number, request: CursorRequest): Promise<{ rows: FollowerRow[]; nextCursor: string | null }> {
    await livePerson(this.db, actor, personId);
    const page = pageFromRequest(this.cursors, { ...request, sortBy: 'id', direction: 'asc' });
    return pageResult(this.cursors, page, await followers.listFollowersPage(this.db, actor.companyId, personId, page));
  }

  /** v1 pages by offset. */
  async listFrom(actor: Actor, personId: number, request: OffsetRequest): Promise<{ rows: FollowerRow[]; start: number; limit: number; more: boolean }> {
    await livePerson(this.db, actor, personId);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const rows = await followers.listFollowersFrom(this.db, actor.companyId, personId, start, limit);
    return { rows: rows.slice(0, limit), start, limit, more: rows.length > limit };
  }

  /**
   * Makes the user follow the person. v2 refuses a user who already follows (400); v1 answered with the existing
   * relationship instead, which `onDuplicate: 'existing'` reproduces.
   */
  async add(actor: Actor, personId: number, userId: number, onDuplicate: 'refuse' | 'existing' = 'refuse'): Promise<FollowerRow> {
    return this.db.transaction().execute(async (trx) => {
      await livePerson(trx, actor, personId);
      const user = await findUser(trx, actor.companyId, userId);
      if (!user || user.active_flag !== 1) throw invalid(`user_id ${userId} is not an active user of this company`);
      const id = await followers.insertFollower(trx, { company_id: actor.companyId, person_id: personId, user_id: userId, add_time: nowStored() });
      if (id === undefined) {
        if (onDuplicate === 'refuse') throw invalid(`user ${userId} already follows person ${personId}`);
        return (await followers.findFollowerByUser(trx, actor.companyId, personId, userId)) as FollowerRow;
      }
      await insertPersonChanges(trx, [historyEntry(actor, personId, HISTORY.followerAdded, { related_id: userId })]);
      return (await followers.findFollowerById(trx, actor.companyId, personId, id)) as FollowerRow;
    });
  }

  /** v2 names the follower by user id. */
  async removeUser(actor: Actor, personId: number, userId: number): Promise<FollowerRow> {
    return this.remove(actor, personId, (trx) => followers.findFollowerByUser(trx, actor.companyId, personId, userId), `User ${userId} does not follow person ${personId}.`);
  }

  /** v1 names the follower by the id of the relationship. */
  async removeRelationship(actor: Actor, personId: number, followerId: number): Promise<FollowerRow> {
    return this.remove(actor, personId, (trx) => followers.findFollowerById(trx, actor.companyId, personId, followerId), `Person ${personId} has no follower with id ${followerId}.`);
  }

  /** Following changes, newest first. */
  async changelog(actor: Actor, personId: number, request: CursorRequest): Promise<{ rows: PersonChangeRow[]; nextCursor: string | null }> {
    await livePerson(this.db, actor, personId);
    const page = pageFromRequest(this.cursors, { ...request, sortBy: 'id', direction: 'desc' });
    const rows = await listPersonChangesPage(this.db, actor.companyId, personId, [HISTORY.followerAdded, HISTORY.followerRemoved], page);
    return pageResult(this.cursors, page, rows);
  }

  private async remove(actor: Actor, personId: number, find: (trx: Executor) => Promise<FollowerRow | undefined>, missing: string): Promise<FollowerRow> {
    return this.db.transaction().execute(async (trx) => {
      await livePerson(trx, actor, personId);
      const follower = await find(trx);
      if (!follower) throw notFound('Follower not found', missing);
      await followers.deleteFollower(trx, actor.companyId, follower.id);
      await insertPersonChanges(trx, [historyEntry(actor, personId, HISTORY.followerRemoved, { related_id: follower.user_id })]);
      return follower;
    });
  }
}

async function livePerson(db: Executor, actor: Actor, personId: number): Promise<void> {
  if (!(await findPerson(db, actor.companyId, personId, await viewerOf(db, actor)))) {
    throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
  }
}
