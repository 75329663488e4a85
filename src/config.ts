import { type AccessConfig, loadAccessConfig } from './access-config.js';

export type DatabaseConfig =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; url: string; poolSize: number };

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
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function parseDatabaseUrl(url: string, poolSize = 10): DatabaseConfig {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', url, poolSize };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigError('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/personsd.db');
    return { dialect: 'sqlite', path };
  }
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${url}"`);
}

/** Reads the environment once, at start; everything else receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const poolSize = integer(env, 'PG_POOL_SIZE', 10, 1, 1000);
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    database: parseDatabaseUrl(env.DATABASE_URL || 'sqlite:./data/personsd.db', poolSize),
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    bootstrapToken: env.PERSONSD_BOOTSTRAP_TOKEN || undefined,
    workers: integer(env, 'WORKERS', 1, 0, 256),
    purgeIntervalMs: integer(env, 'PURGE_INTERVAL_SECONDS', 3600, 1, 86400 * 7) * 1000,
    access: loadAccessConfig(env),
  };
}
