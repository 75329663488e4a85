import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What a proxy's id may look like: enough for UUIDs and the usual tracing formats, nothing a log could misread. */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Fastify options that give every request an id its log lines carry (`reqId`): the proxy's `x-request-id` when a
 * trusted proxy is configured (TRUST_PROXY), so one id follows the request through both logs, else a new UUID.
 * A client reaching personsd directly cannot choose the id its requests are logged under.
 */
export function requestIdOptions(trustProxy: boolean | number | string): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader'> {
  const fromProxy = trustProxy !== false && trustProxy !== 0;
  return {
    requestIdHeader: false,
    genReqId(request: IncomingMessage) {
      const sent = fromProxy ? request.headers[REQUEST_ID_HEADER] : undefined;
      return typeof sent === 'string' && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
    },
  };
}

/** Every response, errors and 404s included, names the request's id. Register before anything that may answer. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done(null, payload);
  });
}
