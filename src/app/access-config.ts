import { ConfigError } from './config.js';

/*
 * Configuration of access control: rate limits, HTTP hardening, CORS and OAuth. Read from the environment once,
 * by loadConfig (config.ts); every value has a default, so a Config built in code may leave `access` out.
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

type Env = NodeJS.ProcessEnv;

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must start with ${protocols.join(' or ')}//, got "${raw}"`);
  return raw;
}

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || ['off', 'false', 'no'].includes(raw.toLowerCase())) return false;
  if (['on', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function loadAccessConfig(env: Env): AccessConfig {
  const planName = (env.RATE_LIMIT_PLAN || 'growth').toLowerCase();
  if (!(planName in RATE_PLANS)) throw new ConfigError(`RATE_LIMIT_PLAN must be one of ${Object.keys(RATE_PLANS).join(', ')}, got "${planName}"`);
  const plan = RATE_PLANS[planName as RatePlan];
  const burst = whole(env, 'RATE_LIMIT_BURST', plan.burst, 1, 1_000_000);
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS lists origins like https://app.example.com (no path) or *, got "${origin}"`);
    }
  }
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, '');
  return {
    rateLimit: {
      enabled: onOff(env, 'RATE_LIMIT', DEFAULT_RATE_LIMIT.enabled),
      dailyTokensPerSeat: whole(env, 'RATE_LIMIT_DAILY_TOKENS', DEFAULT_RATE_LIMIT.dailyTokensPerSeat, 1, 1_000_000_000),
      multiplier: whole(env, 'RATE_LIMIT_MULTIPLIER', plan.multiplier, 1, 1000),
      burst,
      oauthBurst: whole(env, 'RATE_LIMIT_OAUTH_BURST', burst * 4, 1, 1_000_000),
      searchBurst: whole(env, 'RATE_LIMIT_SEARCH_BURST', DEFAULT_RATE_LIMIT.searchBurst, 1, 1_000_000),
      windowMs: DEFAULT_RATE_LIMIT.windowMs,
    },
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: env.REDIS_KEY_PREFIX || DEFAULT_ACCESS.redisKeyPrefix,
    authFailuresPerMinute: whole(env, 'AUTH_FAILURES_PER_MINUTE', DEFAULT_ACCESS.authFailuresPerMinute, 0, 1_000_000),
    corsOrigins,
    maxUrlLength: whole(env, 'MAX_URL_LENGTH', DEFAULT_ACCESS.maxUrlLength, 256, 1_000_000),
    maxHeaderBytes: whole(env, 'MAX_HEADER_BYTES', DEFAULT_ACCESS.maxHeaderBytes, 1024, 1_048_576),
    publicUrl,
    trustProxy: trustProxy(env.TRUST_PROXY),
    oauth: {
      accessTokenTtlSeconds: whole(env, 'OAUTH_ACCESS_TOKEN_TTL_SECONDS', DEFAULT_ACCESS.oauth.accessTokenTtlSeconds, 1, 86_400 * 30),
      refreshTokenTtlSeconds: whole(env, 'OAUTH_REFRESH_TOKEN_TTL_SECONDS', DEFAULT_ACCESS.oauth.refreshTokenTtlSeconds, 60, 86_400 * 3650),
      codeTtlSeconds: DEFAULT_ACCESS.oauth.codeTtlSeconds,
    },
  };
}
