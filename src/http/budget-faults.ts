import type { FastifyInstance } from 'fastify';
import { now as clockNow } from '../domain/clock.js';
import type { BudgetFaults } from '../domain/testing/budget-faults.js';
import type { RateLimitConfig } from './access-settings.js';
import { dailyBudget, refuseDaily } from './rate-limit/daily-refusal.js';

/**
 * Refuses the requests of a company or token whose daily budget a test declared spent, as the rate limiter refuses
 * a spent budget; rate limits on or off. Register after requireAuth and before the rate limits, so a refused
 * request counts against nothing.
 */
export function enforceBudgetFaults(
  app: FastifyInstance,
  faults: BudgetFaults,
  config: RateLimitConfig,
  seats: (companyId: number) => Promise<number>,
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (faults.empty) return;
    const now = clockNow();
    const until = faults.exhaustedUntil(request.actor.companyId, request.credential, now);
    if (until === undefined) return;
    const budgetLimit = dailyBudget(config, await seats(request.actor.companyId));
    reply.headers({ 'x-daily-ratelimit-token-limit': budgetLimit, 'x-daily-ratelimit-token-remaining': 0 });
    return refuseDaily(reply, budgetLimit, now, until);
  });
}
