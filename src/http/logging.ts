import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';
import { MASK, SECRET_HEADERS, SECRET_PARAMS, maskText, maskUrl } from './secrets.js';

export interface LogSettings {
  level: string;
  /** Where the JSON lines go; standard output when absent (tests capture them). */
  stream?: { write(line: string): void };
}

/*
 * Redaction is by path, so it covers what the serializers below do not shape: headers, query or body objects a
 * log call passes on its own or inside another object, one level deep.
 */
const headerPaths = SECRET_HEADERS.flatMap((name) => [`req.headers["${name}"]`, `headers["${name}"]`, `*.headers["${name}"]`]);
const paramPaths = SECRET_PARAMS.flatMap((name) => [`query.${name}`, `body.${name}`, `*.query.${name}`, `*.body.${name}`]);

/**
 * Fastify's logger settings: pino with secrets masked in request URLs, headers, queries and bodies, and in the
 * text of messages and errors (Fastify writes some URLs into message strings).
 */
export function loggerOptions(settings: LogSettings): FastifyServerOptions['logger'] {
  return {
    level: settings.level,
    ...(settings.stream && { stream: settings.stream }),
    redact: { paths: [...headerPaths, ...paramPaths], censor: MASK },
    serializers: { req: serializeRequest, err: serializeError },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
}

/** Fastify's own request fields, with the URL's secret parameters masked (`?api_token=***`). */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: maskUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function serializeError(error: Error) {
  const serialized = stdSerializers.err(error);
  serialized.message = maskText(serialized.message ?? '');
  if (serialized.stack) serialized.stack = maskText(serialized.stack);
  return serialized;
}
