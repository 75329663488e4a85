import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type SessionAuthenticated, csrfMatches } from '../domain/access/console-auth.service.js';
import type { Authenticated, Credential } from '../domain/access/credential.js';
import type { TokenRejection } from '../domain/access/token-rejection.js';
import type { Actor } from '../domain/actor.js';
import type { AuthFailureThrottle } from './auth-throttle.js';
import { errorBody } from './envelope.js';
import { noteRejection } from './metrics.js';
import { CSRF_HEADER, isSafeMethod, sessionCookieOf } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    credential: Credential;
  }
}

export type Authenticator = (token: string) => Promise<Authenticated | undefined>;
/** Longer User-Agents are cut to this many characters before they are stored. */
const MAX_USER_AGENT = 512;

/** The console session behind a session cookie's value. */
export type SessionAuthenticator = (sessionToken: string) => Promise<SessionAuthenticated | undefined>;

export type RejectionExplainer = (token: string) => Promise<TokenRejection>;

const NO_CREDENTIAL =
  'No credential was sent. Send an API token in the x-api-token header (or the api_token query parameter), or an OAuth access token as Authorization: Bearer <token>.';

/** The 401's error_info: which credential was refused, why, and what to do about it. */
export function rejectionAdvice({ kind, reason }: TokenRejection): string {
  if (kind === 'api_token') {
    return reason === 'user_inactive'
      ? 'The API token belongs to a deactivated user. Use the API token of an active user.'
      : 'The API token is not known: it is mistyped, or was replaced by a newer token of its user (a user has one at a time). Use the user\'s current token, or issue one with `personsd token create`.';
  }
  switch (reason) {
    case 'expired':
      return 'The OAuth access token has expired. Get a new one with the refresh token: POST /oauth/token with grant_type=refresh_token.';
    case 'revoked':
      return 'The OAuth access token was revoked with its grant. The user must authorize the app again.';
    case 'user_inactive':
      return 'The OAuth access token belongs to a deactivated user. Authorize the app as an active user.';
    default:
      return 'The OAuth access token is not known: it was revoked, or not issued by this server. Refresh it with the refresh token, or have the user authorize the app again.';
  }
}

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

/**
 * Makes every route registered in `app` (an encapsulated scope) require a valid token, or a console session cookie
 * (`sessions`): a token in the request wins; a cookie-authenticated write must carry the session's CSRF token in
 * `x-csrf-token`, or it is a 403, since a browser sends the cookie with requests another site starts.
 */
export function requireAuth(app: FastifyInstance, authenticate: Authenticator, explain: RejectionExplainer, throttle?: AuthFailureThrottle, sessions?: SessionAuthenticator): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('credential', null as unknown as Credential);
  app.addHook('onRequest', async (request, reply) => {
    // Before the credential's check: the settings checks of this request may lean on it (Actor.arrivedAt).
    const arrivedAt = performance.now();
    const blocked = throttle?.blockedFor(request.ip) ?? 0;
    if (blocked > 0) return sendAuthThrottled(reply, blocked);
    const token = tokenFrom(request);
    const cookie = token === undefined && sessions ? sessionCookieOf(request) : undefined;
    if (cookie !== undefined) {
      const session = await sessions!(cookie);
      if (session) {
        if (!isSafeMethod(request.method) && !csrfMatches(headerText(request.headers[CSRF_HEADER]), session.csrfToken)) {
          return reply.status(403).send(errorBody('CSRF token missing or wrong', `A request signed in by the console's session cookie must send the session's CSRF token in the ${CSRF_HEADER} header.`, { errorCode: 403 }));
        }
        return accept(request, session, arrivedAt);
      }
      const block = throttle ? await throttle.recordFailure(request.ip) : 0;
      if (block > 0) return sendAuthThrottled(reply, block);
      return reply.status(401).send(errorBody('unauthorized access', 'The console session has expired or was ended. Sign in again.', { errorCode: 401 }));
    }
    const authenticated = token === undefined ? undefined : await authenticate(token);
    if (!authenticated) {
      const block = token === undefined || !throttle ? 0 : await throttle.recordFailure(request.ip);
      if (block > 0) return sendAuthThrottled(reply, block);
      const rejection = token === undefined ? undefined : await explain(token);
      // RFC 6750: a refused Bearer token is named in WWW-Authenticate.
      if (rejection?.kind === 'oauth') reply.header('www-authenticate', `Bearer error="invalid_token"${rejection.reason === 'expired' ? ', error_description="The access token expired"' : ''}`);
      return reply.status(401).send(errorBody('unauthorized access', rejection ? rejectionAdvice(rejection) : NO_CREDENTIAL, { errorCode: 401 }));
    }
    accept(request, authenticated, arrivedAt);
  });
}

const headerText = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

function accept(request: FastifyRequest, authenticated: Authenticated, arrivedAt: number): void {
  const userAgent = request.headers['user-agent'];
  // A copy: the authenticated actor may be shared through the authentication cache.
  const actor: Actor = { ...authenticated.actor, arrivedAt };
  if (userAgent) actor.userAgent = userAgent.slice(0, MAX_USER_AGENT);
  request.actor = actor;
  request.credential = authenticated.credential;
}
