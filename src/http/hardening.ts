import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import type { FastifyError, FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { AccessConfig } from './access-settings.js';
import { errorBody } from './envelope.js';
import { jsonTextProblem } from './json-text.js';

/** The deepest nesting a JSON body may have; the API's deepest documented body has four levels. */
const MAX_JSON_DEPTH = 32;

/**
 * A body the JSON parser refuses is a client error of the HTTP layer, like Fastify's own parser errors (statusCode
 * 400): each error handler (the service's, the webhook and OAuth routes' own) then answers it in its shape. A
 * DomainError here reached the OAuth and webhook handlers as an unknown error: a 500.
 */
// The default parser refuses these keys (prototype pollution) with the same words as broken JSON; say which it is.
const PROTOTYPE_KEYS = 'a "__proto__" key, or a "constructor" key holding "prototype", is not accepted anywhere in a body';
const isValidJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

function refusedBody(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, code: 'PERSONSD_REFUSED_JSON_BODY' });
}

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
export function hardenedServerOptions(config: AccessConfig): Pick<FastifyHttpOptions<Server>, 'http' | 'clientErrorHandler' | 'trustProxy' | 'frameworkErrors'> {
  return {
    frameworkErrors: answerRoutingError,
    // Fastify takes a hop count too (proxy-addr), though its option type leaves numbers out.
    trustProxy: config.trustProxy as boolean | string,
    // Node refuses a request head larger than this (URL included) before Fastify sees it.
    http: { maxHeaderSize: config.maxHeaderBytes },
    clientErrorHandler: answerClientError,
  };
}

/**
 * URLs the router refuses before any route or error handler runs: a path parameter that is not valid percent-encoded
 * UTF-8 (`%`, `%ED%A0%80`) or longer than Fastify's maxParamLength. Without this, Fastify answers them in its own shape.
 */
function answerRoutingError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.status(414).send(errorBody('A path parameter is too long', 'The request was refused before it reached any route.'));
  } else if (error.code === 'FST_ERR_BAD_URL') {
    reply.status(400).send(errorBody('Malformed URL: a path segment is not valid percent-encoded UTF-8', 'The request was refused before it reached any route.'));
  } else {
    request.log.error({ err: error }, 'routing failed');
    reply.status(500).send(errorBody('Internal Server Error', 'The error was logged on the server.', { code: 'ERR_UNKNOWN' }));
  }
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
 * Limits and headers every response gets: URL length, strict JSON bodies (UTF-8 only, no duplicate keys, at most 32 levels deep,
 * prototype-poisoning keys refused), security headers, and CORS when origins are configured.
 */
export async function registerHardening(app: FastifyInstance, config: AccessConfig): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.length <= config.maxUrlLength) return done();
    reply.status(414).send(errorBody('Request URL is too long', `The limit is ${config.maxUrlLength} characters of path and query.`));
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
      if (error) return done(isValidJson(body as string) ? refusedBody(PROTOTYPE_KEYS) : error, undefined);
      const problem = jsonTextProblem(body as string, MAX_JSON_DEPTH);
      if (problem !== undefined) return done(refusedBody(problem), undefined);
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
