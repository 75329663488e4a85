import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { errorBody } from './envelope.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export type Authenticator = (token: string) => Promise<Actor | undefined>;

/** The token, wherever the client put it: `x-api-token` (the official client), `?api_token=`, or a Bearer header. */
export function tokenFrom(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-token'];
  if (typeof header === 'string' && header !== '') return header;
  const query = (request.query as Record<string, unknown> | undefined)?.api_token;
  if (typeof query === 'string' && query !== '') return query;
  const authorization = request.headers.authorization;
  // The scheme name is case-insensitive (RFC 9110), so `bearer` works as well as `Bearer`.
  if (authorization !== undefined && /^bearer /i.test(authorization)) return authorization.slice(7).trim() || undefined;
  return undefined;
}

/** Makes every route registered in `app` (an encapsulated scope) require a valid token. */
export function requireAuth(app: FastifyInstance, authenticate: Authenticator): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request, reply) => {
    const token = tokenFrom(request);
    const actor = token === undefined ? undefined : await authenticate(token);
    if (!actor) {
      return reply
        .status(401)
        .send(errorBody('unauthorized access', 'Send a valid API token in the x-api-token header.', { errorCode: 401 }));
    }
    request.actor = actor;
  });
}
