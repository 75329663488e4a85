import type { FastifyInstance } from 'fastify';
import { grantsAnyScope } from '../domain/access/credential.js';
import { errorBody } from './envelope.js';
import { UNMAPPED_ROUTE_SCOPES } from './operations.js';

/**
 * OAuth tokens may call only the operations one of their scopes covers (the spec's `security: oauth2` list for
 * the route; `admin` for routes without one). API tokens pass: they act with their user's full rights.
 * Pipedrive answers a missing scope with 403 "Scope and URL mismatch".
 */
export function enforceScopes(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.credential.scopes === null) return done();
    const accepted = request.routeOptions.config.scopes ?? UNMAPPED_ROUTE_SCOPES;
    if (grantsAnyScope(request.credential, accepted)) return done();
    reply
      .status(403)
      .send(errorBody('Scope and URL mismatch', `This OAuth token needs one of these scopes for ${request.method} ${request.routeOptions.url}: ${accepted.join(', ')}.`, { errorCode: 403 }));
  });
}
