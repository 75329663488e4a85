import { RedisUnreachableError } from '../http/rate-limit/redis-unreachable.js';
import type { DatabaseConfig } from '../store/database-settings.js';
import { ConfigError } from './env.js';

/** A mistake in how the command was called (unknown command or option, missing argument): exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command as typed, `personsd token create`, whose --help the line points to. */
    readonly command: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The message a worker of `serve --workers N` sends its primary instead of printing its failure itself. */
export interface WorkerFailure {
  personsdFailure: string;
}

export interface Failure {
  /** One line: what went wrong and what to do about it. */
  line: string;
  exitCode: number;
}

/** What the failing command knew when it failed; the line names the database from it. */
export interface FailureContext {
  database?: DatabaseConfig;
}

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  errors?: unknown[];
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory (check the path)',
  EACCES: 'permission denied (check who may read and write it)',
  EPERM: 'permission denied (check who may read and write it)',
  EISDIR: 'it is a directory, not a file (give a file)',
  ENOTDIR: 'a part of the path is not a directory (check the path)',
  EROFS: 'the file system is read-only (choose a writable place)',
  ENOSPC: 'the disk is full (free some space)',
};

const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

/**
 * Turns anything a command threw into the one line the operator reads. Known causes say what to do; anything else
 * is an unexpected failure, with its message and the hint that --verbose shows where it happened.
 */
export function describeFailure(error: unknown, context: FailureContext = {}): Failure {
  if (error instanceof UsageError) return { line: `${error.command}: ${error.message} (see ${error.command} --help)`, exitCode: 2 };
  if (error instanceof ConfigError) return fail(error.message);
  if (error instanceof RedisUnreachableError) {
    return fail(`cannot reach Redis at ${error.url} (${error.reason}): start it, correct REDIS_URL, or unset REDIS_URL to keep the counters in memory`);
  }
  const system = firstOf(error as SystemError);
  const code = system?.code;
  // A worker of `serve --workers N` gets the primary's failed `bind` instead of its own `listen`.
  const listening = system?.syscall === 'listen' || system?.syscall === 'bind';
  if (code === 'EADDRINUSE' && listening) {
    return fail(`port ${system.port} on ${system.address} is already in use: stop the process that listens there, or choose another port with PORT or --port`);
  }
  if ((code === 'EACCES' || code === 'EPERM') && listening) {
    return fail(`not allowed to listen on port ${system.port}: choose a port above 1023 with PORT or --port`);
  }
  if (code === 'EADDRNOTAVAIL' && listening) {
    return fail(`${system.address} is not an address of this machine: set HOST to one of its addresses, 127.0.0.1 or 0.0.0.0`);
  }
  if (code && system?.path && FILE_PROBLEMS[code]) return fail(`cannot open ${system.path}: ${FILE_PROBLEMS[code]}`);
  const database = context.database;
  if (database?.dialect === 'postgres') {
    const postgres = postgresProblem(system, database.url);
    if (postgres) return fail(postgres);
  }
  if (database?.dialect === 'sqlite') {
    const sqlite = sqliteProblem(code, database.path);
    if (sqlite) return fail(sqlite);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') {
    return fail('the database refused the change: it refers to a company, user or record that does not exist (check the ids given)');
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail(`unexpected failure: ${message.split('\n')[0] || (system?.code ?? 'no message')} (run again with --verbose for the details)`);
}

const fail = (line: string): Failure => ({ line, exitCode: 1 });

/** Node reports a refused connection to a name with several addresses as an AggregateError of the attempts. */
function firstOf(error: SystemError | undefined): SystemError | undefined {
  if (error && typeof error === 'object' && Array.isArray(error.errors) && error.errors.length > 0 && !error.address) {
    return { ...(error.errors[0] as SystemError), code: error.code ?? (error.errors[0] as SystemError).code };
  }
  return error;
}

function postgresProblem(error: SystemError | undefined, url: string): string | undefined {
  const target = postgresTarget(url);
  const where = `PostgreSQL at ${target.host}:${target.port}`;
  const code = error?.code;
  if (code && NETWORK_PROBLEMS[code]) return `cannot connect to ${where} (${NETWORK_PROBLEMS[code]}): start PostgreSQL there or correct DATABASE_URL`;
  if (code === '3D000') return `the database "${target.database}" does not exist on ${where}: create it (createdb ${target.database}) or correct DATABASE_URL`;
  if (code === '28P01' || code === '28000') return `${where} refused the login (${error?.message}): correct the user and password in DATABASE_URL`;
  if (code === '42501') return `${where} refused an operation (${error?.message}): the DATABASE_URL user needs to own the database`;
  if (code === '57P03') return `${where} is starting up or shutting down: try again in a moment`;
  if (error?.message && /timeout|terminated unexpectedly/i.test(error.message) && !code) {
    return `${where} did not answer (${error.message}): check that it is up and reachable, or raise PG_CONNECT_TIMEOUT_MS`;
  }
  return undefined;
}

function postgresTarget(url: string): { host: string; port: string; database: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname || 'localhost', port: parsed.port || '5432', database: decodeURIComponent(parsed.pathname.slice(1)) || parsed.username };
  } catch {
    return { host: '?', port: '?', database: '?' };
  }
}

function sqliteProblem(code: string | undefined, path: string): string | undefined {
  if (code === 'SQLITE_CANTOPEN') return `cannot open the SQLite database ${path}: check the path in DATABASE_URL and its permissions`;
  if (code === 'SQLITE_NOTADB') return `${path} is not a SQLite database: point DATABASE_URL at a personsd database or a new file`;
  if (code === 'SQLITE_READONLY') return `the SQLite database ${path} is read-only: give this user write access to it and its directory`;
  if (code === 'SQLITE_BUSY') return `the SQLite database ${path} stayed locked by another process: try again once it is done`;
  if (code === 'SQLITE_FULL') return `the disk holding ${path} is full: free some space`;
  return undefined;
}
