/*
 * Settings of access control: rate limits, HTTP hardening, CORS and OAuth. src/app/config.ts reads them from the
 * environment once; every value has a default, so settings built in code may leave `access` out.
 */
export type RatePlan = 'lite' | 'growth' | 'premium' | 'ultimate';

/** Pipedrive's plans: daily budget multiplier and API-token burst per 2 s (OAuth apps get four times as much). */
export const RATE_PLANS: Record<RatePlan, { multiplier: number; burst: number }> = {
  lite: { multiplier: 1, burst: 20 },
  growth: { multiplier: 2, burst: 40 },
  premium: { multiplier: 5, burst: 100 },
  ultimate: { multiplier: 7, burst: 120 },
};

export interface RateLimitConfig {
  enabled: boolean;
  /** Daily budget of a company = tokensPerSeat × multiplier × active users. */
  dailyTokensPerSeat: number;
  multiplier: number;
  /** Requests one API token may make per window. */
  burst: number;
  /** Requests one OAuth access token may make per window. */
  oauthBurst: number;
  /** Requests per window on search routes, for any token. */
  searchBurst: number;
  windowMs: number;
}

export interface AccessConfig {
  rateLimit: RateLimitConfig;
  /** Counters live in Redis when set (shared by every process), else in this process's memory. */
  redisUrl?: string;
  redisKeyPrefix: string;
  /** Failed token checks one client address may make per minute before it gets 429s (0 = unlimited). */
  authFailuresPerMinute: number;
  /** Allowed CORS origins; empty = no CORS headers at all; ['*'] = any origin. */
  corsOrigins: string[];
  /** Longest accepted request target (path and query), in characters; longer gets a 414. */
  maxUrlLength: number;
  /** Largest accepted request head (request line and headers), in bytes; larger gets a 431. */
  maxHeaderBytes: number;
  /** personsd's base URL as clients reach it (the OAuth `api_domain`); derived from the request when unset. */
  publicUrl?: string;
  /**
   * Which proxies' X-Forwarded-For / -Proto / -Host to believe (Fastify's trustProxy): false (none), true (any),
   * a hop count, or addresses and CIDR ranges. Decides the client address the failed-token throttle counts by.
   */
  trustProxy: boolean | number | string;
  oauth: { accessTokenTtlSeconds: number; refreshTokenTtlSeconds: number; codeTtlSeconds: number };
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  enabled: false,
  dailyTokensPerSeat: 30_000,
  multiplier: RATE_PLANS.growth.multiplier,
  burst: RATE_PLANS.growth.burst,
  oauthBurst: RATE_PLANS.growth.burst * 4,
  searchBurst: 10,
  windowMs: 2000,
};

export const DEFAULT_ACCESS: AccessConfig = {
  rateLimit: DEFAULT_RATE_LIMIT,
  redisKeyPrefix: 'personsd:',
  authFailuresPerMinute: 30,
  corsOrigins: [],
  maxUrlLength: 8192,
  maxHeaderBytes: 16_384,
  trustProxy: false,
  oauth: { accessTokenTtlSeconds: 3600, refreshTokenTtlSeconds: 60 * 86_400, codeTtlSeconds: 300 },
};

