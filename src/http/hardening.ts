import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { AccessConfig } from './access-settings.js';
import { invalid } from '../domain/errors.js';
import { errorBody } from './envelope.js';
import { firstDuplicateKey } from './json-duplicates.js';

/** Headers a browser client may read: the rate-limit ones tell it when to slow down. */
const EXPOSED_HEADERS = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-daily-ratelimit-token-limit',
  'x-daily-ratelimit-token-remaining',
  'retry-after',
  // personsd's: a create under duplicate_policy=upsert that updated an existing person.
  'x-personsd-upserted',
  'x-personsd-ignored-params',
  'x-request-id',
];

/** Fastify construction options that limit what a client can send before any route runs. */
export function hardenedServerOptions(config: AccessConfig): Pick<FastifyHttpOptions<Server>, 'http' | 'clientErrorHandler' | 'trustProxy'> {
  return {
    // Fastify takes a hop count too (proxy-addr), though its option type leaves numbers out.
    trustProxy: config.trustProxy as boolean | string,
    // Node refuses a request head larger than this (URL included) before Fastify sees it.
    http: { maxHeaderSize: config.maxHeaderBytes },
    clientErrorHandler: answerClientError,
  };
}

/**
 * Requests Node itself rejects (head too large, malformed, timed out) still get the error envelope, written on
 * the socket since no request object exists yet.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'Request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive']
        : [400, 'Bad Request', 'Malformed HTTP request'];
  const body = JSON.stringify(errorBody(message, 'The request was refused before it reached any route.'));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Limits and headers every response gets: URL length, strict JSON bodies (UTF-8 only, no duplicate keys,
 * prototype-poisoning keys refused), security headers, and CORS when origins are configured.
 */
export async function registerHardening(app: FastifyInstance, config: AccessConfig): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > config.maxUrlLength) {
      return reply.status(414).send(errorBody('Request URL is too long', `The limit is ${config.maxUrlLength} characters of path and query.`));
    }
  });

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      const error = Object.assign(new Error(`charset ${charset}`), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
      return done(error, undefined);
    }
    // Many HTTP clients label a bodiless DELETE as JSON; an empty body there means "no body", not bad JSON.
    if (body === '' && (request.method === 'DELETE' || request.method === 'GET')) return done(null, undefined);
    parseJson(request, body as string, (error, parsed) => {
      if (error) return done(error, undefined);
      const duplicate = firstDuplicateKey(body as string);
      if (duplicate !== undefined) return done(invalid(`the JSON body has the key "${duplicate}" twice in one object`), undefined);
      done(null, parsed);
    });
  });

  const headers = securityHeaders({
    // The API's own policy is set below; the /docs pages bring their scripts and styles and set none.
    contentSecurityPolicy: false,
    // Browsers on other origins may call the API when CORS allows them; the default same-origin would block them.
    crossOriginResourcePolicy: { policy: config.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
  });
  const apiHeaders = { ...headers, 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" };
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith('/docs') ? headers : apiHeaders);
    done();
  });

  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['x-api-token', 'authorization', 'content-type', 'x-request-id', 'x-duplicate-policy'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
}

/**
 * The headers helmet sets for these options. They are the same for every response, so they are worked out once:
 * running helmet's middleware per request (what @fastify/helmet does, rebuilding it each time) cost about 3 µs,
 * 5% of a read by id (measured with --cpu-prof, docs/benchmarks.md).
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}
