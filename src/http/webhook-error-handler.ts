import type { FastifyError, FastifyInstance } from 'fastify';
import { WebhookError, type WebhookErrorKind } from '../domain/webhooks/webhook-errors.js';
import { describeValidationError } from './validation.js';

const STATUS: Record<WebhookErrorKind, number> = { invalid: 400, not_found: 404, forbidden: 403, limit_reached: 422 };

/**
 * The webhook endpoints' own error shape (behaviour doc §11.4): `{status:"error", success:false,
 * errors:{field:[message]}}`, and `{success:false, message:"Forbidden"}` for 403, for every client error (malformed
 * JSON included). Server errors fall through to the service-wide handler.
 */
export function registerWebhookErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof WebhookError) {
      if (error.kind === 'forbidden') return reply.status(403).send({ success: false, message: 'Forbidden' });
      return reply.status(STATUS[error.kind]).send(fieldErrors(error.field, error.message));
    }
    if (error.validation && error.validation.length > 0) {
      const first = error.validation[0] as any;
      const part = error.validationContext ?? 'body';
      const params = first.params ?? {};
      const field =
        params.missingProperty ?? params.additionalProperty ?? (first.instancePath.split('/')[1] || (part === 'params' ? 'id' : part));
      return reply.status(400).send(fieldErrors(field, describeValidationError(first, part)));
    }
    // Any other client error (a body that is not JSON, or carries __proto__ / constructor.prototype keys) answers
    // in the same shape: these routes declare it for their 4xx answers, and another shape would fail to serialise.
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = error instanceof SyntaxError ? `Malformed JSON body: ${error.message}` : error.message;
      return reply.status(status).send(fieldErrors('body', message));
    }
    throw error;
  });
}

function fieldErrors(field: string, message: string) {
  return { status: 'error', success: false, errors: { [field]: [message] } };
}
