import type { FastifyReply } from 'fastify';
import type { RateLimitConfig } from '../access-settings.js';
import { errorBody } from '../envelope.js';

/** A company's daily budget in tokens: tokens per seat × plan multiplier × active users. */
export function dailyBudget(config: RateLimitConfig, seats: number): number {
  return config.dailyTokensPerSeat * config.multiplier * seats;
}

/** The 429 of a spent daily budget: the daily headers, and Retry-After until the budget resets at `resetsAt`. */
export function refuseDaily(reply: FastifyReply, budgetLimit: number, now: number, resetsAt: number): FastifyReply {
  return reply
    .status(429)
    .headers({
      'x-daily-ratelimit-token-limit': budgetLimit,
      'x-daily-ratelimit-token-remaining': 0,
      'retry-after': String(Math.max(1, Math.ceil((resetsAt - now) / 1000))),
    })
    .send(errorBody('Daily API token budget exceeded', `The company's budget of ${budgetLimit} tokens a day is spent; it resets at 00:00 UTC.`, { code: 'daily_limit' }));
}
