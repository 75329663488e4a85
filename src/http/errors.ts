import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type ErrorKind } from '../domain/errors.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { errorBody } from './envelope.js';
import { describeValidationError } from './validation.js';

const STATUS_BY_KIND: Record<ErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, forbidden: 403, gone: 410 };
const DOCS_HINT = 'See /docs for this endpoint\'s parameters and body.';

/** Every error leaves in Pipedrive's envelope with a fitting status; internals never reach the client. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.status(STATUS_BY_KIND[error.kind]).send(errorBody(error.message, error.info ?? DOCS_HINT, error.extra));
    }
    if (error.validation && error.validation.length > 0) {
      const message = describeValidationError(error.validation[0] as any, error.validationContext ?? 'body');
      return reply.status(400).send(errorBody(message, DOCS_HINT));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send(errorBody('Request body is too large', `The limit is ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes.`));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send(errorBody(`Unsupported content type "${request.headers['content-type'] ?? ''}"`, 'Send the body as application/json.'));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send(errorBody('Malformed JSON body', error.message));
    }
    // Fastify's JSON parser marks its SyntaxError 400; any other SyntaxError (a JSON.parse in our code) is a bug: 500.
    if (error instanceof SyntaxError && error.statusCode === 400) return reply.status(400).send(errorBody('Malformed JSON body', error.message));
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(errorBody('Service temporarily unavailable', 'The database could not be reached or was too busy; retry shortly.'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send(errorBody(error.message, DOCS_HINT));
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('Internal Server Error', 'The error was logged on the server.', { code: 'ERR_UNKNOWN' }));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(`Unknown route ${request.method} ${request.url.split('?')[0]}`, 'See /docs for the routes this service answers.')),
  );
}
