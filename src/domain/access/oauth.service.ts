import { now as clockNow } from '../clock.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oauth from '../../store/repositories/oauth.repository.js';
import type { OauthAppRow } from '../../store/repositories/oauth.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { nowStored, toStoredTime } from '../time.js';
import { OAuthError } from './oauth-error.js';
import { DEFAULT_APP_SCOPES, formatScopes, parseScopes } from './scopes.js';

/** Access tokens carry this prefix, so authentication knows which table to look in. */
export const ACCESS_TOKEN_PREFIX = 'pat_';
const REFRESH_TOKEN_PREFIX = 'prt_';

// Tokens are base64url: the official client URL-encodes the access token twice when revoking, which leaves
// these characters (all unreserved) unchanged.
const secret = (prefix: string) => prefix + randomBytes(32).toString('base64url');
export const hashSecret = (value: string) => createHash('sha256').update(value).digest('hex');

export interface OAuthLifetimes {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  codeTtlSeconds: number;
}

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  refresh_token: string;
  scope: string;
  expires_in: number;
}

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUri: string;
  scopes: string[];
}

const later = (seconds: number) => toStoredTime(new Date(clockNow() + seconds * 1000));

/**
 * personsd as its own OAuth 2.0 authorization server (authorization-code grant with rotating refresh tokens),
 * shaped like Pipedrive's: apps registered once, client credentials in Basic auth, tokens stored as SHA-256.
 */
export class OAuthService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lifetimes: OAuthLifetimes,
  ) {}

  async registerApp(input: { name: string; redirectUri: string; scopes?: string }): Promise<RegisteredApp> {
    if (input.name.trim() === '') throw invalid('the app needs a name');
    let redirect: URL;
    try {
      redirect = new URL(input.redirectUri);
    } catch {
      throw invalid(`redirect URI "${input.redirectUri}" is not an absolute URL`);
    }
    if (!['http:', 'https:'].includes(redirect.protocol) || redirect.hash !== '') throw invalid('the redirect URI must be an http(s) URL without a fragment');
    const scopes = input.scopes === undefined ? DEFAULT_APP_SCOPES : parseScopes(input.scopes);
    const clientId = randomBytes(10).toString('hex');
    const clientSecret = randomBytes(20).toString('hex');
    await oauth.insertApp(this.db, {
      client_id: clientId,
      client_secret_hash: hashSecret(clientSecret),
      name: input.name.trim(),
      redirect_uri: input.redirectUri,
      scopes: formatScopes(scopes),
      add_time: nowStored(),
    });
    return { clientId, clientSecret, name: input.name.trim(), redirectUri: input.redirectUri, scopes };
  }

  /** The app whose credentials these are; undefined for an unknown client or a wrong secret. */
  async authenticateClient(clientId: string, clientSecret: string): Promise<OauthAppRow | undefined> {
    const app = await oauth.findAppByClientId(this.db, clientId);
    // Compared as hashes, in constant time, and hashed even for unknown clients so timing tells nothing.
    const presented = Buffer.from(hashSecret(clientSecret), 'hex');
    const stored = Buffer.from(app?.client_secret_hash ?? hashSecret(randomBytes(20).toString('hex')), 'hex');
    return app && timingSafeEqual(presented, stored) ? app : undefined;
  }

  /** The app an authorization request names, provided the redirect URI is exactly the registered one. */
  async appForAuthorization(clientId: string, redirectUri: string): Promise<OauthAppRow> {
    const app = await oauth.findAppByClientId(this.db, clientId);
    if (!app) throw new OAuthError('unauthorized_client', `no app has client_id ${clientId}`);
    if (app.redirect_uri !== redirectUri) throw new OAuthError('invalid_request', 'redirect_uri does not match the one registered for the app');
    return app;
  }

  /** The user approved the app: a single-use code, valid for a few minutes. */
  async issueCode(actor: Actor, app: OauthAppRow): Promise<string> {
    const code = randomBytes(20).toString('hex');
    const now = nowStored();
    await oauth.deleteExpiredCodes(this.db, now);
    await oauth.insertCode(this.db, {
      company_id: actor.companyId,
      app_id: app.id,
      user_id: actor.userId,
      code_hash: hashSecret(code),
      redirect_uri: app.redirect_uri,
      expires_time: later(this.lifetimes.codeTtlSeconds),
      add_time: now,
    });
    return code;
  }

  async exchangeCode(app: OauthAppRow, code: string, redirectUri: string | undefined): Promise<TokenSet> {
    return this.db.transaction().execute(async (trx) => {
      const row = await oauth.takeCode(trx, hashSecret(code));
      if (!row || row.app_id !== app.id || row.expires_time <= nowStored()) throw new OAuthError('invalid_grant', 'the authorization code is unknown, used or expired');
      if (redirectUri !== row.redirect_uri) throw new OAuthError('invalid_grant', 'redirect_uri must be the one the code was issued for');
      const grantId = await oauth.insertGrant(trx, {
        company_id: row.company_id,
        app_id: app.id,
        user_id: row.user_id,
        scopes: app.scopes,
        add_time: nowStored(),
      });
      return this.issueTokens(trx, row.company_id, grantId, app.scopes);
    });
  }

  /** Rotates: the refresh token is spent, a new pair issued. A spent one presented again revokes the grant. */
  async refresh(app: OauthAppRow, refreshToken: string): Promise<TokenSet> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      const token = await oauth.findGrantToken(trx, hashSecret(refreshToken));
      if (!token || token.kind !== 'refresh' || token.appId !== app.id || token.grantRevoked) return 'invalid' as const;
      if (token.rotatedTime !== null || !(await oauth.markRotated(trx, token.tokenId, nowStored()))) return { reused: token.grantId };
      if (token.expiresTime <= nowStored() || !token.userActive) return 'invalid' as const;
      return this.issueTokens(trx, token.companyId, token.grantId, token.scopes);
    });
    if (outcome === 'invalid') throw new OAuthError('invalid_grant', 'the refresh token is unknown, revoked or expired');
    if ('reused' in outcome) {
      // Someone holds a copy of a spent refresh token: end the whole grant (RFC 9700 §4.14.2).
      await oauth.revokeGrant(this.db, outcome.reused, nowStored());
      throw new OAuthError('invalid_grant', 'the refresh token was already used; the grant is revoked');
    }
    return outcome;
  }

  /**
   * Revokes a token of this app (RFC 7009): a refresh token ends the whole grant (Pipedrive's "uninstall"), an
   * access token only itself. Unknown tokens and other apps' tokens are ignored, as the RFC asks.
   */
  async revoke(app: OauthAppRow, token: string): Promise<void> {
    const found = await oauth.findGrantToken(this.db, hashSecret(token));
    if (!found || found.appId !== app.id) return;
    if (found.kind === 'refresh') await oauth.revokeGrant(this.db, found.grantId, nowStored());
    else await oauth.deleteToken(this.db, found.tokenId);
  }

  private async issueTokens(trx: Parameters<typeof oauth.insertToken>[0], companyId: number, grantId: number, scopes: string): Promise<TokenSet> {
    const accessToken = secret(ACCESS_TOKEN_PREFIX);
    const refreshToken = secret(REFRESH_TOKEN_PREFIX);
    const now = nowStored();
    const common = { company_id: companyId, grant_id: grantId, rotated_time: null, add_time: now };
    await oauth.insertToken(trx, { ...common, kind: 'access', token_hash: hashSecret(accessToken), expires_time: later(this.lifetimes.accessTokenTtlSeconds) });
    await oauth.insertToken(trx, { ...common, kind: 'refresh', token_hash: hashSecret(refreshToken), expires_time: later(this.lifetimes.refreshTokenTtlSeconds) });
    return { access_token: accessToken, token_type: 'Bearer', refresh_token: refreshToken, scope: scopes, expires_in: this.lifetimes.accessTokenTtlSeconds };
  }
}
