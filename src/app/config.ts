import { isIP } from 'node:net';
import { isSupportedCountry } from 'libphonenumber-js';
import { type IdentityConfig, DEFAULT_IMPORT_BODY_LIMIT } from '../domain/identity/identity-config.js';
import { normalizeHost } from '../domain/webhooks/delivery-targets.js';
import { type WebhookConfig, WEBHOOK_DEFAULTS, defaultTargets } from '../domain/webhooks/webhook-delivery-settings.js';
import { type AccessConfig, DEFAULT_ACCESS, DEFAULT_RATE_LIMIT, RATE_PLANS, type RatePlan } from '../http/access-settings.js';
import { type DatabaseConfig, DEFAULT_POSTGRES_SETTINGS, type PostgresSettings } from '../store/database-settings.js';
import { ConfigError, type EnvValues, env, readEnv } from './env.js';

export { ConfigError } from './env.js';

/** Everything the process is configured with: each layer's settings, assembled here from the environment. */
export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: string;
  bodyLimit: number;
  bootstrapToken: string | undefined;
  workers: number;
  purgeIntervalMs: number;
  /** SEARCH_INDEX_INTERVAL_MS: how often queued search index writes are indexed (SQLite); absent means the default. */
  searchIndexIntervalMs?: number;
  /** Rate limits, hardening, CORS and OAuth; absent means the defaults (DEFAULT_ACCESS). */
  access?: AccessConfig;
  /** Absent means the defaults (WEBHOOK_DEFAULTS). */
  webhooks?: WebhookConfig;
  /** Absent means no default region and IMPORT_BODY_LIMIT's default. */
  identity?: IdentityConfig;
  /** The /_personsd admin API for test suites; absent or without a token means off. */
  admin?: AdminConfig;
  /** METRICS_TOKEN: /metrics is open when absent. */
  metricsToken?: string;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for requests and webhook deliveries in flight (absent: the default). */
  shutdownTimeoutMs?: number;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export interface AdminConfig {
  /** PERSONSD_ADMIN_TOKEN: turns the admin API (and the request journal) on. */
  token: string | undefined;
  /** PERSONSD_JOURNAL_SIZE: how many requests the journal keeps, newest first. */
  journalSize: number;
}

export const DEFAULT_JOURNAL_SIZE = 1000;

/** Every environment variable personsd reads (the README describes them). */
const VARIABLES = {
  HOST: env.text(),
  PORT: env.whole(0, 65535),
  DATABASE_URL: env.text(),
  PG_POOL_SIZE: env.whole(1, 1000),
  PG_CONNECT_TIMEOUT_MS: env.whole(100, 600_000),
  PG_STATEMENT_TIMEOUT_MS: env.whole(0, 86_400_000),
  PG_LISTEN_URL: env.custom('a postgres:// URL, or off', listenUrl),
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  BODY_LIMIT: env.whole(1024, 100 * 1024 * 1024),
  PERSONSD_BOOTSTRAP_TOKEN: env.text(),
  WORKERS: env.whole(0, 256),
  NODE_ENV: env.text(),
  PURGE_INTERVAL_SECONDS: env.whole(1, 86400 * 7),
  SEARCH_INDEX_INTERVAL_MS: env.whole(10, 3_600_000),
  RATE_LIMIT: env.onOff(),
  RATE_LIMIT_PLAN: env.oneOf(Object.keys(RATE_PLANS) as RatePlan[]),
  RATE_LIMIT_DAILY_TOKENS: env.whole(1, 1_000_000_000),
  RATE_LIMIT_MULTIPLIER: env.whole(1, 1000),
  RATE_LIMIT_BURST: env.whole(1, 1_000_000),
  RATE_LIMIT_OAUTH_BURST: env.whole(1, 1_000_000),
  RATE_LIMIT_SEARCH_BURST: env.whole(1, 1_000_000),
  REDIS_URL: env.url(['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: env.text(),
  AUTH_FAILURES_PER_MINUTE: env.whole(0, 1_000_000),
  CORS_ORIGINS: env.custom('origins like https://app.example.com (no path) or *, comma-separated', corsOrigins),
  MAX_URL_LENGTH: env.whole(256, 1_000_000),
  MAX_HEADER_BYTES: env.whole(1024, 1_048_576),
  PUBLIC_URL: env.url(['http:', 'https:']),
  TRUST_PROXY: env.custom('on, off, a hop count, or addresses and CIDR ranges', trustProxy),
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: env.whole(1, 86_400 * 30),
  OAUTH_REFRESH_TOKEN_TTL_SECONDS: env.whole(60, 86_400 * 3650),
  WEBHOOK_DISPATCHER: env.onOff(),
  WEBHOOK_POLL_INTERVAL_MS: env.whole(10, 3_600_000),
  WEBHOOK_CONCURRENCY: env.whole(1, 1000),
  WEBHOOK_TIMEOUT_MS: env.whole(10, 600_000),
  WEBHOOK_RETRY_DELAYS_MS: env.wholeList(),
  WEBHOOK_ALLOW_PRIVATE: env.onOff(),
  WEBHOOK_ALLOWED_HOSTS: env.custom('comma-separated host names or IP addresses, e.g. hooks.internal,10.0.0.7', hostList),
  PERSONSD_DEFAULT_REGION: env.custom('a region code such as FR, DE or US', region),
  IMPORT_BODY_LIMIT: env.whole(1024, 1024 * 1024 * 1024),
  PERSONSD_ADMIN_TOKEN: env.text(),
  PERSONSD_JOURNAL_SIZE: env.whole(1, 1_000_000),
  METRICS_TOKEN: env.text(),
  SHUTDOWN_TIMEOUT_MS: env.whole(0, 600_000),
};

/** `postgres` is the pool size alone, or any of the PostgreSQL settings (the rest default). */
export function parseDatabaseUrl(url: string, postgres: number | Partial<PostgresSettings> = {}): DatabaseConfig {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const settings = typeof postgres === 'number' ? { poolSize: postgres } : postgres;
    return { dialect: 'postgres', url, ...DEFAULT_POSTGRES_SETTINGS, ...settings };
  }
  // In memory: one connection, gone with the process; migrated and bootstrapped by the server that opens it.
  if (url === 'memory:' || url === 'sqlite::memory:') return { dialect: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigError('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/personsd.db');
    return { dialect: 'sqlite', path };
  }
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, or be memory:, got "${url}"`);
}

export function isInMemory(database: DatabaseConfig): boolean {
  return database.dialect === 'sqlite' && database.path === ':memory:';
}

/** Reads the environment once, at start; everything else receives the typed result. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const e = readEnv(VARIABLES, source);
  const postgres: PostgresSettings = {
    poolSize: e.PG_POOL_SIZE ?? DEFAULT_POSTGRES_SETTINGS.poolSize,
    connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS ?? DEFAULT_POSTGRES_SETTINGS.connectTimeoutMs,
    statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS ?? DEFAULT_POSTGRES_SETTINGS.statementTimeoutMs,
    ...(e.PG_LISTEN_URL !== undefined && { listenUrl: e.PG_LISTEN_URL }),
  };
  return {
    host: e.HOST ?? '127.0.0.1',
    port: e.PORT ?? 8080,
    database: parseDatabaseUrl(e.DATABASE_URL ?? 'sqlite:./data/personsd.db', postgres),
    logLevel: e.LOG_LEVEL ?? 'info',
    bodyLimit: e.BODY_LIMIT ?? 1024 * 1024,
    bootstrapToken: e.PERSONSD_BOOTSTRAP_TOKEN,
    // In production one process per core (0) unless told otherwise; elsewhere one, which is easier to debug.
    workers: e.WORKERS ?? (e.NODE_ENV === 'production' ? 0 : 1),
    purgeIntervalMs: (e.PURGE_INTERVAL_SECONDS ?? 3600) * 1000,
    searchIndexIntervalMs: e.SEARCH_INDEX_INTERVAL_MS,
    access: accessConfig(e),
    webhooks: {
      dispatcher: e.WEBHOOK_DISPATCHER ?? WEBHOOK_DEFAULTS.dispatcher,
      pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS ?? WEBHOOK_DEFAULTS.pollIntervalMs,
      concurrency: e.WEBHOOK_CONCURRENCY ?? WEBHOOK_DEFAULTS.concurrency,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS ?? WEBHOOK_DEFAULTS.timeoutMs,
      retryDelaysMs: e.WEBHOOK_RETRY_DELAYS_MS ?? WEBHOOK_DEFAULTS.retryDelaysMs,
      targets: {
        ...defaultTargets(e.NODE_ENV === 'production'),
        // A server with the admin API serves a test suite, whose receivers (and sinks) sit on the CI machine's own
        // networks; the admin API reaches every company's data anyway.
        allowPrivate: e.WEBHOOK_ALLOW_PRIVATE ?? e.PERSONSD_ADMIN_TOKEN !== undefined,
        allowedHosts: e.WEBHOOK_ALLOWED_HOSTS ?? [],
      },
    },
    admin: {
      token: e.PERSONSD_ADMIN_TOKEN,
      journalSize: e.PERSONSD_JOURNAL_SIZE ?? DEFAULT_JOURNAL_SIZE,
    },
    metricsToken: e.METRICS_TOKEN,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    identity: {
      defaultRegion: e.PERSONSD_DEFAULT_REGION,
      importBodyLimit: e.IMPORT_BODY_LIMIT ?? DEFAULT_IMPORT_BODY_LIMIT,
    },
  };
}

function accessConfig(e: EnvValues<typeof VARIABLES>): AccessConfig {
  const plan = RATE_PLANS[e.RATE_LIMIT_PLAN ?? 'growth'];
  const burst = e.RATE_LIMIT_BURST ?? plan.burst;
  return {
    rateLimit: {
      enabled: e.RATE_LIMIT ?? DEFAULT_RATE_LIMIT.enabled,
      dailyTokensPerSeat: e.RATE_LIMIT_DAILY_TOKENS ?? DEFAULT_RATE_LIMIT.dailyTokensPerSeat,
      multiplier: e.RATE_LIMIT_MULTIPLIER ?? plan.multiplier,
      burst,
      oauthBurst: e.RATE_LIMIT_OAUTH_BURST ?? burst * 4,
      searchBurst: e.RATE_LIMIT_SEARCH_BURST ?? DEFAULT_RATE_LIMIT.searchBurst,
      windowMs: DEFAULT_RATE_LIMIT.windowMs,
    },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX ?? DEFAULT_ACCESS.redisKeyPrefix,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE ?? DEFAULT_ACCESS.authFailuresPerMinute,
    corsOrigins: e.CORS_ORIGINS ?? DEFAULT_ACCESS.corsOrigins,
    maxUrlLength: e.MAX_URL_LENGTH ?? DEFAULT_ACCESS.maxUrlLength,
    maxHeaderBytes: e.MAX_HEADER_BYTES ?? DEFAULT_ACCESS.maxHeaderBytes,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY ?? DEFAULT_ACCESS.trustProxy,
    oauth: {
      accessTokenTtlSeconds: e.OAUTH_ACCESS_TOKEN_TTL_SECONDS ?? DEFAULT_ACCESS.oauth.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: e.OAUTH_REFRESH_TOKEN_TTL_SECONDS ?? DEFAULT_ACCESS.oauth.refreshTokenTtlSeconds,
      codeTtlSeconds: DEFAULT_ACCESS.oauth.codeTtlSeconds,
    },
  };
}

function corsOrigins(text: string): string[] {
  const origins = text
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.some((origin) => origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin))) throw new RangeError();
  return origins;
}

/** Fastify's trustProxy: on/off in the usual spellings, a hop count, or addresses and CIDR ranges. */
function trustProxy(text: string): boolean | number | string {
  const word = text.toLowerCase();
  if (['off', 'false', 'no'].includes(word)) return false;
  if (['on', 'true', 'yes'].includes(word)) return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

/** Host names (a DNS label syntax) or literal IPv4 / IPv6 addresses (brackets optional), comma-separated. */
function hostList(text: string): string[] {
  const hosts = text
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean)
    .map(normalizeHost);
  if (hosts.some((host) => !isIP(host) && !/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host))) throw new RangeError();
  return hosts;
}

function region(text: string): IdentityConfig['defaultRegion'] {
  const code = text.trim().toUpperCase();
  if (!isSupportedCountry(code)) throw new RangeError();
  return code;
}

/** PG_LISTEN_URL: a PostgreSQL URL to listen for credential and settings changes on, or off to remember none. */
function listenUrl(text: string): string | false {
  const value = text.trim();
  if (['off', 'false', 'no'].includes(value.toLowerCase())) return false;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new RangeError();
  return value;
}
