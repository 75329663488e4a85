import type { Executor } from '../../store/executor.js';
import { type FollowedLink, insertRecordFollower, insertRecordFollowerChange, listRecordFollowersFrom } from '../../store/repositories/record-followers.repository.js';
import type { Actor } from '../actor.js';

/**
 * A merge of organizations or deals: the merged record's followers follow the survivor too (those who already did
 * are kept once), each an `added` entry of the survivor's followers changelog, inside the merge's transaction.
 */
export async function moveRecordFollowers(trx: Executor, actor: Actor, link: FollowedLink, fromId: number, toId: number, time: string): Promise<void> {
  // Followers are users of the company: a bound far above any company's user count.
  const followers = await listRecordFollowersFrom(trx, actor.companyId, link, fromId, 0, 100_000);
  for (const follower of followers) {
    const added = await insertRecordFollower(trx, actor.companyId, link, toId, follower.user_id, time);
    if (added !== undefined) {
      await insertRecordFollowerChange(trx, actor.companyId, link, toId, { action: 'added', actor_user_id: actor.userId, follower_user_id: follower.user_id, time });
    }
  }
}
