import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { findDeal } from '../../store/repositories/deals.repository.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import * as followers from '../../store/repositories/record-followers.repository.js';
import type { FollowedLink, RecordFollowerChangeRow, RecordFollowerRow } from '../../store/repositories/record-followers.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { DEFAULT_LIMIT, pageFromRequest, pageResult } from '../paging.js';
import { nowStored } from '../time.js';

export type FollowedEntity = 'organization' | 'deal';

export interface CursorRequest {
  limit?: number;
  cursor?: string;
}

const ENTITIES: Record<FollowedEntity, { link: FollowedLink; name: string; find: typeof findOrganization | typeof findDeal }> = {
  organization: { link: 'org_id', name: 'organization', find: findOrganization },
  deal: { link: 'deal_id', name: 'deal', find: findDeal },
};

/**
 * Who follows an organization or a deal, and the changelog of following: the persons' followers rules (v2 refuses
 * a second follow, v1 answers the existing relationship; v2 removes by user id, v1 by relationship id) on one
 * table per purpose with a link column per entity. The record must be one the caller may see, as for persons.
 */
export class RecordFollowersService {
  private readonly link: FollowedLink;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    private readonly entity: FollowedEntity,
  ) {
    this.link = ENTITIES[entity].link;
  }

  async list(actor: Actor, recordId: number, request: CursorRequest): Promise<{ rows: RecordFollowerRow[]; nextCursor: string | null }> {
    await this.liveRecord(this.db, actor, recordId);
    const page = pageFromRequest(this.cursors, { ...request, sortBy: 'id', direction: 'asc' });
    return pageResult(this.cursors, page, await followers.listRecordFollowersPage(this.db, actor.companyId, this.link, recordId, page));
  }

  /** v1 pages by offset. */
  async listFrom(actor: Actor, recordId: number, request: { start?: number; limit?: number }) {
    await this.liveRecord(this.db, actor, recordId);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const rows = await followers.listRecordFollowersFrom(this.db, actor.companyId, this.link, recordId, start, limit);
    return { rows: rows.slice(0, limit), start, limit, more: rows.length > limit };
  }

  async add(actor: Actor, recordId: number, userId: number, onDuplicate: 'refuse' | 'existing' = 'refuse'): Promise<RecordFollowerRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.liveRecord(trx, actor, recordId);
      const user = await findUser(trx, actor.companyId, userId);
      if (!user || user.active_flag !== 1) throw invalid(`user_id ${userId} is not an active user of this company`);
      const time = nowStored();
      const id = await followers.insertRecordFollower(trx, actor.companyId, this.link, recordId, userId, time);
      if (id === undefined) {
        if (onDuplicate === 'refuse') throw invalid(`user ${userId} already follows ${this.entity} ${recordId}`);
        return (await followers.findRecordFollower(trx, actor.companyId, this.link, recordId, { userId })) as RecordFollowerRow;
      }
      await followers.insertRecordFollowerChange(trx, actor.companyId, this.link, recordId, { action: 'added', actor_user_id: actor.userId, follower_user_id: userId, time });
      return (await followers.findRecordFollower(trx, actor.companyId, this.link, recordId, { id })) as RecordFollowerRow;
    });
  }

  /** v2 names the follower by user id; v1 by the id of the relationship. */
  async remove(actor: Actor, recordId: number, by: { userId: number } | { id: number }): Promise<RecordFollowerRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.liveRecord(trx, actor, recordId);
      const follower = await followers.findRecordFollower(trx, actor.companyId, this.link, recordId, by);
      if (!follower) {
        throw notFound('Follower not found', 'id' in by ? `The ${this.entity} ${recordId} has no follower with id ${by.id}.` : `User ${by.userId} does not follow ${this.entity} ${recordId}.`);
      }
      await followers.deleteRecordFollower(trx, actor.companyId, follower.id);
      await followers.insertRecordFollowerChange(trx, actor.companyId, this.link, recordId, {
        action: 'removed',
        actor_user_id: actor.userId,
        follower_user_id: follower.user_id,
        time: nowStored(),
      });
      return follower;
    });
  }

  /** Following changes, newest first. */
  async changelog(actor: Actor, recordId: number, request: CursorRequest): Promise<{ rows: RecordFollowerChangeRow[]; nextCursor: string | null }> {
    await this.liveRecord(this.db, actor, recordId);
    const page = pageFromRequest(this.cursors, { ...request, sortBy: 'id', direction: 'desc' });
    return pageResult(this.cursors, page, await followers.listRecordFollowerChangesPage(this.db, actor.companyId, this.link, recordId, page));
  }

  /** A record the caller may not see answers like one that does not exist. */
  private async liveRecord(db: Executor, actor: Actor, recordId: number): Promise<void> {
    const { find, name } = ENTITIES[this.entity];
    if (!(await find(db, actor.companyId, recordId, await viewerOf(db, actor)))) {
      throw notFound(`${name.charAt(0).toUpperCase()}${name.slice(1)} not found`, `No ${name} with id ${recordId} exists in this company.`);
    }
  }
}
