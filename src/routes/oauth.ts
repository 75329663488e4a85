import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../domain/access/oauth-error.js';
import type { OAuthService } from '../domain/access/oauth.service.js';
import type { OauthAppRow } from '../store/repositories/oauth.repository.js';
import { sendAuthThrottled, tokenFrom } from '../http/auth.js';
import type { AuthFailureThrottle } from '../http/auth-throttle.js';
import { errorBody } from '../http/envelope.js';
import { requestOrigin } from '../http/origin.js';
import type { Services } from '../app/services.js';
import { consentPage } from './oauth-consent-page.js';
import { csrfMatches } from '../domain/access/console-auth.service.js';
import { sessionCookieOf } from '../http/session-cookie.js';
import type { Actor } from '../domain/actor.js';

export interface OAuthRouteOptions {
  services: Services;
  oauth: OAuthService;
  throttle: AuthFailureThrottle | undefined;
  /** personsd's base URL for `api_domain`; derived from the request when unset. */
}

const tags = ['OAuth'];
// RFC 6749 asks servers to ignore parameters they do not know, so these schemas allow extra properties.
const AuthorizeQuery = Type.Object(
  {
    client_id: Type.String(),
    redirect_uri: Type.String(),
    state: Type.Optional(Type.String()),
    response_type: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String({ description: 'ignored: a grant gets the scopes the app was registered with, as on Pipedrive' })),
    api_token: Type.Optional(Type.String({ description: 'approves at once for this API token\'s user' })),
  },
  { additionalProperties: true },
);
const ConsentBody = Type.Object(
  { client_id: Type.String(), redirect_uri: Type.String(), state: Type.Optional(Type.String()), api_token: Type.Optional(Type.String()), csrf_token: Type.Optional(Type.String()), decision: Type.String() },
  { additionalProperties: true },
);
const TokenBody = Type.Object(
  {
    grant_type: Type.String(),
    code: Type.Optional(Type.String()),
    redirect_uri: Type.Optional(Type.String()),
    refresh_token: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
const RevokeBody = Type.Object(
  { token: Type.String(), token_type_hint: Type.Optional(Type.String()), client_id: Type.Optional(Type.String()), client_secret: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

/** RFC 6749 §2.3.1 form-encodes the id and secret inside Basic auth; text that is not encoded stays as it is. */
function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function oauthErrorBody(error: OAuthError) {
  return { ...errorBody(error.code, error.message), error_description: error.message };
}

/** `?code=…&state=…` (or `?error=…`) appended to the registered redirect URI, keeping its own query. */
function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * personsd's OAuth 2.0 server, at the paths the official client calls under its `host`: /oauth/authorize,
 * /oauth/token and /oauth/revoke. Form-encoded bodies are accepted here only (the API itself takes JSON).
 */
export const oauthRoutes: FastifyPluginAsyncTypebox<OAuthRouteOptions> = async (app, { services, oauth, throttle }) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const params = new URLSearchParams(body as string);
    const result: Record<string, string> = {};
    for (const [name, value] of params) {
      // RFC 6749 §3.1: a parameter sent twice is an invalid request, not a choice to make for the client.
      if (name in result) return done(new OAuthError('invalid_request', `parameter ${name} was sent twice`), undefined);
      result[name] = value;
    }
    done(null, result);
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OAuthError) return reply.status(error.status).header('cache-control', 'no-store').send(oauthErrorBody(error));
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'oauth request failed');
      return reply.status(500).send(errorBody('Internal Server Error', 'The error was logged on the server.', { code: 'ERR_UNKNOWN' }));
    }
    const invalidRequest = new OAuthError('invalid_request', (error as Error).message);
    return reply.status(status === 415 || status === 413 ? status : 400).header('cache-control', 'no-store').send(oauthErrorBody(invalidRequest));
  });

  /** Counts a failed credential towards the address's throttle; true when the reply was sent (blocked). */
  const failed = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const block = throttle ? await throttle.recordFailure(request.ip) : 0;
    if (block > 0) sendAuthThrottled(reply, block);
    return block > 0;
  };
  const blocked = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const ms = throttle?.blockedFor(request.ip) ?? 0;
    if (ms > 0) sendAuthThrottled(reply, ms);
    return ms > 0;
  };

  /** The user behind an API token (OAuth access tokens cannot approve apps), or a 401 sent. */
  const approvingUser = async (request: FastifyRequest, reply: FastifyReply, token: string | undefined) => {
    const authenticated = token === undefined ? undefined : await services.authenticate(token);
    if (authenticated && authenticated.credential.kind === 'api_token') return authenticated.actor;
    if (token !== undefined && (await failed(request, reply))) return undefined;
    reply.status(401).send(errorBody('unauthorized access', 'Approve the app with a valid API token of the user it acts for.', { errorCode: 401 }));
    return undefined;
  };

  /** The console session the request's cookie names, if any. */
  const session = async (request: FastifyRequest) => {
    const cookie = sessionCookieOf(request);
    return cookie === undefined ? undefined : services.consoleAuth.authenticate(cookie);
  };

  const approve = async (request: FastifyRequest, reply: FastifyReply, app: OauthAppRow, token: string | Actor | undefined, state: string | undefined) => {
    const actor = typeof token === 'object' ? token : await approvingUser(request, reply, token);
    if (!actor) return reply;
    const code = await oauth.issueCode(actor, app);
    return reply.redirect(redirectWith(app.redirect_uri, { code, state }), 302);
  };

  app.get('/oauth/authorize', { schema: { tags, summary: 'Ask a user to authorize an app', security: [], querystring: AuthorizeQuery } }, async (request, reply) => {
    if (blocked(request, reply)) return reply;
    const { client_id, redirect_uri, state, response_type } = request.query;
    // Until the redirect URI is known to be the app's, errors are answered here, never redirected.
    const app = await oauth.appForAuthorization(client_id, redirect_uri);
    if (response_type !== undefined && response_type !== 'code') {
      return reply.redirect(redirectWith(app.redirect_uri, { error: 'unsupported_response_type', state }), 302);
    }
    const token = tokenFrom(request);
    if (token !== undefined) return approve(request, reply, app, token, state);
    const signedIn = await session(request);
    const user = signedIn && (await services.consoleAuth.user(signedIn.actor.companyId, signedIn.actor.userId));
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
      .send(
        consentPage({
          appName: app.name,
          scopes: app.scopes,
          clientId: client_id,
          redirectUri: redirect_uri,
          state,
          signedIn: user && signedIn ? { name: user.name, email: user.email, csrfToken: signedIn.csrfToken } : undefined,
          returnTo: request.url,
        }),
      );
  });

  app.post('/oauth/authorize', { schema: { tags, summary: 'The consent form\'s answer', security: [], body: ConsentBody, hide: true } }, async (request, reply) => {
    if (blocked(request, reply)) return reply;
    const { client_id, redirect_uri, state, api_token, decision, csrf_token } = request.body;
    const app = await oauth.appForAuthorization(client_id, redirect_uri);
    if (decision !== 'allow') return reply.redirect(redirectWith(app.redirect_uri, { error: 'access_denied', state }), 302);
    if (!api_token) {
      // Approved by the console's session: only with the session's CSRF token from the form personsd rendered.
      const signedIn = await session(request);
      if (signedIn && csrfMatches(csrf_token, signedIn.csrfToken)) return approve(request, reply, app, signedIn.actor, state);
    }
    return approve(request, reply, app, api_token || undefined, state);
  });

  /** The app from Basic auth (what Pipedrive and the official client use) or from client_id/client_secret in the body. */
  const authenticatedApp = async (request: FastifyRequest, body: { client_id?: string; client_secret?: string }): Promise<OauthAppRow> => {
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const basic = /^basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = formDecoded(decoded.slice(0, colon));
        clientSecret = formDecoded(decoded.slice(colon + 1));
      }
    }
    const app = clientId && clientSecret ? await oauth.authenticateClient(clientId, clientSecret) : undefined;
    if (!app) throw new OAuthError('invalid_client', 'client authentication failed: send client_id:client_secret in a Basic Authorization header');
    return app;
  };

  for (const url of ['/oauth/token', '/oauth/token/']) {
    app.post(url, { schema: { tags, summary: 'Exchange an authorization code or a refresh token for tokens', security: [], body: TokenBody, hide: url.endsWith('/') } }, async (request, reply) => {
      if (blocked(request, reply)) return reply;
      let client: OauthAppRow;
      try {
        client = await authenticatedApp(request, request.body);
      } catch (error) {
        if (await failed(request, reply)) return reply;
        throw error;
      }
      const { grant_type, code, redirect_uri, refresh_token } = request.body;
      let tokens;
      if (grant_type === 'authorization_code') {
        if (!code) throw new OAuthError('invalid_request', 'code is required');
        tokens = await oauth.exchangeCode(client, code, redirect_uri);
      } else if (grant_type === 'refresh_token') {
        if (!refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required');
        tokens = await oauth.refresh(client, refresh_token);
      } else {
        throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
      }
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send({ ...tokens, api_domain: requestOrigin(request) });
    });
  }

  app.post('/oauth/revoke', { schema: { tags, summary: 'Revoke an access token, or a refresh token with its whole grant', security: [], body: RevokeBody } }, async (request, reply) => {
    if (blocked(request, reply)) return reply;
    let client: OauthAppRow;
    try {
      client = await authenticatedApp(request, request.body);
    } catch (error) {
      if (await failed(request, reply)) return reply;
      throw error;
    }
    await oauth.revoke(client, request.body.token);
    return { success: true, data: null };
  });
};
