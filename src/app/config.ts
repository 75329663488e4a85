import { isSupportedCountry } from 'libphonenumber-js';
import { type AccessConfig, loadAccessConfig } from './access-config.js';
import type { Region } from '../domain/identity/contact-keys.js';

export type DatabaseConfig =
  | { dialect: 'sqlite'; path: string }
  | ({ dialect: 'postgres'; url: string } & PostgresSettings);

export interface PostgresSettings {
  /** Connections each process keeps open at most. */
  poolSize: number;
  /** How long to wait for a connection (a new one, or a free one from a busy pool) before the request fails with 503. */
  connectTimeoutMs: number;
  /** Longest a single SQL statement may run (0 = no limit); migrations run without it. */
  statementTimeoutMs: number;
}

export const DEFAULT_POSTGRES_SETTINGS: PostgresSettings = { poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 };

export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: string;
  bodyLimit: number;
  bootstrapToken: string | undefined;
  workers: number;
  purgeIntervalMs: number;
  /** Rate limits, hardening, CORS and OAuth; absent means the defaults (DEFAULT_ACCESS). */
  access?: AccessConfig;
  /** Absent means the defaults (WEBHOOK_DEFAULTS). */
  webhooks?: WebhookConfig;
  /** Absent means no default region and IMPORT_BODY_LIMIT's default. */
  identity?: IdentityConfig;
  /** The /_personsd admin API for test suites; absent or without a token means off. */
  admin?: AdminConfig;
}

export interface AdminConfig {
  /** PERSONSD_ADMIN_TOKEN: turns the admin API (and the request journal) on. */
  token: string | undefined;
  /** PERSONSD_JOURNAL_SIZE: how many requests the journal keeps, newest first. */
  journalSize: number;
}

export const DEFAULT_JOURNAL_SIZE = 1000;

export interface IdentityConfig {
  /** PERSONSD_DEFAULT_REGION: the region national phone numbers are read in where a company sets none. */
  defaultRegion?: Region;
  /** IMPORT_BODY_LIMIT: the largest file POST /api/v2/persons/import accepts, in bytes. */
  importBodyLimit: number;
}

export const DEFAULT_IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

export interface WebhookConfig {
  /** Whether this process delivers webhook events; every process writes them to the outbox regardless. */
  dispatcher: boolean;
  pollIntervalMs: number;
  concurrency: number;
  timeoutMs: number;
  retryDelaysMs: number[];
}

/** Pipedrive's delivery rules: 10 s timeout, retries after 3, 30 and 150 s. */
export const WEBHOOK_DEFAULTS: WebhookConfig = {
  dispatcher: true,
  pollIntervalMs: 1000,
  concurrency: 8,
  timeoutMs: 10_000,
  retryDelaysMs: [3_000, 30_000, 150_000],
};

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

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
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const postgres: PostgresSettings = {
    poolSize: integer(env, 'PG_POOL_SIZE', DEFAULT_POSTGRES_SETTINGS.poolSize, 1, 1000),
    connectTimeoutMs: integer(env, 'PG_CONNECT_TIMEOUT_MS', DEFAULT_POSTGRES_SETTINGS.connectTimeoutMs, 100, 600_000),
    statementTimeoutMs: integer(env, 'PG_STATEMENT_TIMEOUT_MS', DEFAULT_POSTGRES_SETTINGS.statementTimeoutMs, 0, 86_400_000),
  };
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    database: parseDatabaseUrl(env.DATABASE_URL || 'sqlite:./data/personsd.db', postgres),
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    bootstrapToken: env.PERSONSD_BOOTSTRAP_TOKEN || undefined,
    // In production one process per core (0) unless told otherwise; elsewhere one, which is easier to debug.
    workers: integer(env, 'WORKERS', env.NODE_ENV === 'production' ? 0 : 1, 0, 256),
    purgeIntervalMs: integer(env, 'PURGE_INTERVAL_SECONDS', 3600, 1, 86400 * 7) * 1000,
    access: loadAccessConfig(env),
    webhooks: {
      dispatcher: onOff(env, 'WEBHOOK_DISPATCHER', WEBHOOK_DEFAULTS.dispatcher),
      pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', WEBHOOK_DEFAULTS.pollIntervalMs, 10, 3_600_000),
      concurrency: integer(env, 'WEBHOOK_CONCURRENCY', WEBHOOK_DEFAULTS.concurrency, 1, 1000),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', WEBHOOK_DEFAULTS.timeoutMs, 10, 600_000),
      retryDelaysMs: integerList(env, 'WEBHOOK_RETRY_DELAYS_MS', WEBHOOK_DEFAULTS.retryDelaysMs),
    },
    admin: {
      token: env.PERSONSD_ADMIN_TOKEN || undefined,
      journalSize: integer(env, 'PERSONSD_JOURNAL_SIZE', DEFAULT_JOURNAL_SIZE, 1, 1_000_000),
    },
    identity: {
      defaultRegion: region(env, 'PERSONSD_DEFAULT_REGION'),
      importBodyLimit: integer(env, 'IMPORT_BODY_LIMIT', DEFAULT_IMPORT_BODY_LIMIT, 1024, 1024 * 1024 * 1024),
    },
  };
}

function region(env: NodeJS.ProcessEnv, name: string): Region | undefined {
  const raw = env[name]?.trim().toUpperCase();
  if (raw === undefined || raw === '') return undefined;
  if (!isSupportedCountry(raw)) throw new ConfigError(`${name} must be a region code such as FR, DE or US, got "${env[name]}"`);
  return raw;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${name} must be on or off, got "${raw}"`);
}

/** Comma-separated whole numbers, e.g. `3000,30000,150000`; empty means none. */
function integerList(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (raw.trim() === '') return [];
  if (!/^\s*\d+\s*(,\s*\d+\s*)*$/.test(raw)) throw new ConfigError(`${name} must be comma-separated whole numbers, got "${raw}"`);
  return raw.split(',').map((part) => Number(part.trim()));
}
