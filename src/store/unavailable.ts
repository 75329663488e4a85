import { isStalePlan } from './postgres-client.js';

/*
 * Errors that mean "the database cannot serve this right now" rather than "this request or this code is wrong":
 * the database is unreachable, restarting, out of connections, too slow, or (SQLite) locked by another process
 * for longer than the busy timeout. Such a request is worth retrying, so the API answers 503 instead of 500.
 */

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

// PostgreSQL SQLSTATEs: class 08 is "connection exception"; the rest are shutdown, overload and timeout states.
const POSTGRES_STATES = new Set([
  '57P01', // admin_shutdown: the server was stopped or the session terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '57014', // query_canceled: the statement timeout fired
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

// node-postgres reports a lost or never-established connection with plain Errors carrying no code.
const POSTGRES_CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Query read timeout',
];

const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  // A statement prepared before a migration changed its table; it is prepared afresh on the next attempt.
  if (isStalePlan(error)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SQLITE_CODES.has(code) || POSTGRES_STATES.has(code) || (code.length === 5 && code.startsWith('08'))) return true;
  }
  if (POSTGRES_CLIENT_MESSAGES.some((message) => error.message.startsWith(message))) return true;
  // Connecting to every address of a host fails as one AggregateError; pg-pool wraps a connect timeout in `cause`.
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}
