import { now as clockNow } from '../clock.js';
import type { Executor } from '../../store/executor.js';
import { countActiveUsers } from '../../store/repositories/users.repository.js';

const CACHE_MS = 60_000;

/**
 * A company's paid seats (its active users), which scale its daily API budget. Cached per process for a minute:
 * every request needs it, and a user added a minute late to the budget harms no one.
 */
export function seatCounter(db: Executor): (companyId: number) => Promise<number> {
  const cache = new Map<number, { seats: number; until: number }>();
  return async (companyId) => {
    const now = clockNow();
    const hit = cache.get(companyId);
    if (hit && hit.until > now) return hit.seats;
    const seats = Math.max(1, await countActiveUsers(db, companyId));
    if (cache.size > 10_000) cache.clear();
    cache.set(companyId, { seats, until: now + CACHE_MS });
    return seats;
  };
}
