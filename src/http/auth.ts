import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticated, Credential } from '../domain/access/credential.js';
import type { Actor } from '../domain/actor.js';
import type { AuthFailureThrottle } from './auth-throttle.js';
import { errorBody } from './envelope.js';
import { noteRejection } from './metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    credential: Credential;
  }
}

export type Authenticator = (token: string) => Promise<Authenticated | undefined>;

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

/** The 429 for a client address that sent too many unknown tokens (or OAuth client secrets). */
export function sendAuthThrottled(reply: FastifyReply, retryAfterMs: number): FastifyReply {
  noteRejection(reply.request, 'auth_failures');
  return reply
    .status(429)
    .header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    .send(errorBody('Too many failed authentication attempts', 'Requests from this address are refused for a minute after repeated invalid tokens.'));
}

/** Makes every route registered in `app` (an encapsulated scope) require a valid token. */
export function requireAuth(app: FastifyInstance, authenticate: Authenticator, throttle?: AuthFailureThrottle): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('credential', null as unknown as Credential);
  app.addHook('onRequest', async (request, reply) => {
    const blocked = throttle?.blockedFor(request.ip) ?? 0;
    if (blocked > 0) return sendAuthThrottled(reply, blocked);
    const token = tokenFrom(request);
    const authenticated = token === undefined ? undefined : await authenticate(token);
    if (!authenticated) {
      const block = token === undefined || !throttle ? 0 : await throttle.recordFailure(request.ip);
      if (block > 0) return sendAuthThrottled(reply, block);
      return reply
        .status(401)
        .send(errorBody('unauthorized access', 'Send a valid API token in the x-api-token header.', { errorCode: 401 }));
    }
    request.actor = authenticated.actor;
    request.credential = authenticated.credential;
  });
}
