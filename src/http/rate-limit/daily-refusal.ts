import type { FastifyReply } from 'fastify';
import type { RateLimitConfig } from '../access-settings.js';
import { errorBody } from '../envelope.js';

/** A company's daily budget in tokens: tokens per seat × plan multiplier × active users. */
export function dailyBudget(config: RateLimitConfig, seats: number): number {
  return config.dailyTokensPerSeat * config.multiplier * seats;
}

/**
 * The 429 of a daily budget that cannot pay for the request, with Retry-After until it resets at `resetsAt`; the
 * caller has set the daily headers (what is left may be more than zero, yet less than the request costs).
 */
export function refuseDaily(reply: FastifyReply, budgetLimit: number, now: number, resetsAt: number): FastifyReply {
  return reply
    .status(429)
    .header('retry-after', String(Math.max(1, Math.ceil((resetsAt - now) / 1000))))
    .send(errorBody('Daily API token budget exceeded', `The company's budget of ${budgetLimit} tokens a day is spent; it resets at 00:00 UTC.`, { code: 'daily_limit' }));
}
