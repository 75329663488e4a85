import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches, type SignedIn } from '../domain/access/console-auth.service.js';
import { MAX_PASSWORD_LENGTH } from '../domain/access/passwords.js';
import { DomainError } from '../domain/errors.js';
import { sendAuthThrottled } from '../http/auth.js';
import type { AuthFailureThrottle } from '../http/auth-throttle.js';
import { errorBody } from '../http/envelope.js';
import { CSRF_HEADER, clearedSessionCookie, sessionCookie, sessionCookieOf } from '../http/session-cookie.js';
import type { Services } from '../app/services.js';

const SignInBody = Type.Object({ email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }) });
const InviteBody = Type.Object({ password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }) });
const InviteParams = Type.Object({ secret: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }) });
const hide = true;

/**
 * The web console's sign-in (not part of the Pipedrive API, so not in /openapi.json): e-mail and password give an
 * HTTP-only session cookie and a CSRF token; the API scopes accept the cookie (src/http/auth.ts). Wrong passwords
 * count towards the same per-address throttle as unknown tokens.
 */
export const consoleAuthRoutes: FastifyPluginAsyncTypebox<{ services: Services; throttle: AuthFailureThrottle | undefined; adminApi: boolean }> = async (app, { services, throttle, adminApi }) => {
  const { consoleAuth } = services;
  const blocked = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const ms = throttle?.blockedFor(request.ip) ?? 0;
    if (ms > 0) sendAuthThrottled(reply, ms);
    return ms > 0;
  };
  const describe = async (companyId: number, userId: number, csrfToken: string) => {
    const user = await consoleAuth.user(companyId, userId);
    // admin_api: whether the console shows its Developer tab (the admin API still wants its own token).
    return { success: true, data: { user: user && { id: user.id, name: user.name, email: user.email, is_admin: user.is_admin === 1 }, company_id: companyId, csrf_token: csrfToken, admin_api: adminApi } };
  };
  const started = async (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) =>
    reply.header('set-cookie', sessionCookie(request, signedIn.sessionToken)).header('cache-control', 'no-store').send(await describe(signedIn.companyId, signedIn.userId, signedIn.csrfToken));

  app.post('/console/api/sign-in', { schema: { hide, body: SignInBody } }, async (request, reply) => {
    if (blocked(request, reply)) return reply;
    const signedIn = await consoleAuth.signIn(request.body.email, request.body.password);
    if (!signedIn) {
      const block = throttle ? await throttle.recordFailure(request.ip) : 0;
      if (block > 0) return sendAuthThrottled(reply, block);
      return reply.status(401).send(errorBody('Wrong e-mail or password', 'Check both and try again; an operator sets passwords with `personsd user set-password`.', { errorCode: 401 }));
    }
    return started(request, reply, signedIn);
  });

  /** The signed-in session the request's cookie names, if any. */
  const sessionOf = async (request: FastifyRequest) => {
    const cookie = sessionCookieOf(request);
    return cookie === undefined ? undefined : consoleAuth.authenticate(cookie);
  };
  const notSignedIn = (reply: FastifyReply) => reply.status(401).send(errorBody('Not signed in', 'Sign in with your e-mail and password.', { errorCode: 401 }));

  app.get('/console/api/session', { schema: { hide } }, async (request, reply) => {
    const session = await sessionOf(request);
    reply.header('cache-control', 'no-store');
    if (!session) return notSignedIn(reply);
    return describe(session.actor.companyId, session.actor.userId, session.csrfToken);
  });

  const csrfRefused = (request: FastifyRequest, reply: FastifyReply, csrfToken: string): boolean => {
    const sent = request.headers[CSRF_HEADER];
    if (csrfMatches(typeof sent === 'string' ? sent : undefined, csrfToken)) return false;
    reply.status(403).send(errorBody('CSRF token missing or wrong', `Send the session's CSRF token in the ${CSRF_HEADER} header.`, { errorCode: 403 }));
    return true;
  };

  app.post('/console/api/sign-out', { schema: { hide } }, async (request, reply) => {
    const session = await sessionOf(request);
    if (session) {
      if (csrfRefused(request, reply, session.csrfToken)) return reply;
      await consoleAuth.signOut(sessionCookieOf(request)!);
    }
    return reply.header('set-cookie', clearedSessionCookie(request)).send({ success: true, data: null });
  });

  // A new API token for the signed-in user (the old one stops working), shown once: personsd keeps only its hash.
  app.post('/console/api/token', { schema: { hide } }, async (request, reply) => {
    const session = await sessionOf(request);
    if (!session) return notSignedIn(reply);
    if (csrfRefused(request, reply, session.csrfToken)) return reply;
    const token = await consoleAuth.newApiToken(session.actor.companyId, session.actor.userId);
    return reply.header('cache-control', 'no-store').send({ success: true, data: { api_token: token } });
  });

  app.get('/console/api/invites/:secret', { schema: { hide, params: InviteParams } }, async (request, reply) => {
    if (blocked(request, reply)) return reply;
    const invite = await consoleAuth.describeInvite(request.params.secret);
    if (!invite) return reply.status(404).send(errorBody('Invite not found', 'The link was used already, expired, or mistyped. Ask for a new one.'));
    return { success: true, data: invite };
  });

  app.post('/console/api/invites/:secret', { schema: { hide, params: InviteParams, body: InviteBody } }, async (request, reply) => {
    if (blocked(request, reply)) return reply;
    let signedIn: SignedIn;
    try {
      signedIn = await consoleAuth.acceptInvite(request.params.secret, request.body.password);
    } catch (error) {
      // A wrong secret counts like a wrong password; a too-short password does not.
      if (error instanceof DomainError && /invite/.test(error.message)) {
        const block = throttle ? await throttle.recordFailure(request.ip) : 0;
        if (block > 0) return sendAuthThrottled(reply, block);
      }
      throw error;
    }
    return started(request, reply, signedIn);
  });
};
