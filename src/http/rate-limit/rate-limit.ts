import { now as clockNow } from '../../domain/clock.js';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../access-settings.js';
import { errorBody } from '../envelope.js';
import { noteRejection } from '../metrics.js';
import { operationOf } from '../operations.js';
import type { CounterStore } from './counters.js';
import { dailyBudget, refuseDaily } from './daily-refusal.js';

const DAY_MS = 86_400_000;
const LOG_EVERY_MS = 10_000;

/**
 * Pipedrive's token-based limits. Every request spends its operation's token cost from the company's daily
 * budget (tokens per seat × plan multiplier × active users; resets at 00:00 UTC) and takes one slot of its
 * token's rolling 2-second window (search routes have their own, smaller window). A request either counts
 * against both or, refused with a 429, against neither.
 */
export class RateLimiter {
  private lastFailureLog = 0;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly counters: CounterStore,
    private readonly seats: (companyId: number) => Promise<number>,
  ) {}

  /** Sets the rate-limit headers; answers 429 and returns the reply when over a limit. */
  async check(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const operation = operationOf(request.method, request.routeOptions.url ?? '', request.routeOptions.config);
    if (!operation) return undefined;
    const { actor, credential } = request;
    const now = clockNow();
    const day = Math.floor(now / DAY_MS);
    const windowLimit = operation.search ? this.config.searchBurst : credential.kind === 'oauth' ? this.config.oauthBurst : this.config.burst;
    let result;
    let budgetLimit;
    try {
      budgetLimit = dailyBudget(this.config, await this.seats(actor.companyId));
      result = await this.counters.take({
        now,
        window: { key: `burst:${operation.search ? 'search:' : ''}${credential.kind}:${credential.id}`, limit: windowLimit, ms: this.config.windowMs },
        budget: { key: `daily:${actor.companyId}:${day}`, limit: budgetLimit, cost: operation.cost, ttlMs: (day + 1) * DAY_MS - now + 3_600_000 },
      });
    } catch (error) {
      // Counters unreachable (Redis down): serving without limits beats refusing every request.
      this.logFailure(request.log, error, now);
      return undefined;
    }
    const windowResetSeconds = Math.max(1, Math.ceil(result.windowResetMs / 1000));
    reply.headers({
      'x-ratelimit-limit': windowLimit,
      'x-ratelimit-remaining': Math.max(0, windowLimit - result.windowUsed),
      'x-ratelimit-reset': windowResetSeconds,
      'x-daily-ratelimit-token-limit': budgetLimit,
      'x-daily-ratelimit-token-remaining': Math.max(0, budgetLimit - result.budgetUsed),
    });
    if (result.verdict === 'ok') return undefined;
    noteRejection(request, result.verdict);
    if (result.verdict === 'daily') return refuseDaily(reply, budgetLimit, now, (day + 1) * DAY_MS);
    const info = `This token may make ${windowLimit} such requests per ${this.config.windowMs / 1000} seconds; retry after ${windowResetSeconds} s.`;
    return reply.status(429).header('retry-after', String(windowResetSeconds)).send(errorBody('Request over limit', info, { code: 'rate_limit' }));
  }

  private logFailure(log: FastifyBaseLogger, error: unknown, now: number): void {
    if (now - this.lastFailureLog < LOG_EVERY_MS) return;
    this.lastFailureLog = now;
    log.warn({ err: error }, 'rate-limit counters unavailable; serving without rate limits');
  }
}

/** Applies the limiter to every route of an authenticated scope; register after requireAuth. */
export function enforceRateLimits(app: FastifyInstance, limiter: RateLimiter): void {
  app.addHook('onRequest', async (request, reply) => {
    const refused = await limiter.check(request, reply);
    if (refused) return refused;
  });
}
