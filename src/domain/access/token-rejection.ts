import type { Executor } from '../../store/executor.js';
import { describeAccessToken } from '../../store/repositories/oauth.repository.js';
import { describeApiToken } from '../../store/repositories/tokens.repository.js';
import { hashToken } from '../users/tokens.js';
import { nowStored } from '../time.js';
import { ACCESS_TOKEN_PREFIX, hashSecret } from './oauth.service.js';

/**
 * Why a token did not authenticate, so the 401 can say what to do. Revoked API tokens and individually revoked
 * access tokens are deleted rows, so they are `unknown` like a mistyped token; a revoked grant keeps its tokens.
 */
export interface TokenRejection {
  kind: 'api_token' | 'oauth';
  reason: 'unknown' | 'expired' | 'revoked' | 'user_inactive';
}

/** Looked up only after authentication failed: the hot path never pays for it. */
export async function explainRejectedToken(db: Executor, token: string): Promise<TokenRejection> {
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const found = await describeApiToken(db, hashToken(token));
    return { kind: 'api_token', reason: found && !found.userActive ? 'user_inactive' : 'unknown' };
  }
  const found = await describeAccessToken(db, hashSecret(token));
  const reason = !found ? 'unknown' : found.grantRevoked ? 'revoked' : !found.userActive ? 'user_inactive' : found.expiresTime <= nowStored() ? 'expired' : 'unknown';
  return { kind: 'oauth', reason };
}
