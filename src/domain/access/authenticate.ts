import type { Executor } from '../../store/executor.js';
import { findAccessTokenOwner } from '../../store/repositories/oauth.repository.js';
import { nowStored } from '../time.js';
import { findTokenOwner } from '../../store/repositories/tokens.repository.js';
import { hashToken } from '../users/tokens.js';
import type { Authenticated } from './credential.js';
import { ACCESS_TOKEN_PREFIX, hashSecret } from './oauth.service.js';

/** The caller behind a token: an OAuth access token (by its prefix) with its scopes, else an API token. */
export async function authenticateToken(db: Executor, token: string): Promise<Authenticated | undefined> {
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return authenticateApiToken(db, token);
  const owner = await findAccessTokenOwner(db, hashSecret(token), nowStored());
  return (
    owner && {
      actor: { userId: owner.userId, companyId: owner.companyId, isAdmin: owner.isAdmin },
      credential: { kind: 'oauth', id: owner.tokenId, scopes: owner.scopes.split(',') },
    }
  );
}

/**
 * Finds the user behind an API token. The lookup is by SHA-256 of the token, so the stored secret is never compared
 * byte by byte with what the client sent: response timing tells an attacker nothing about stored tokens.
 */
async function authenticateApiToken(db: Executor, token: string): Promise<Authenticated | undefined> {
  const owner = await findTokenOwner(db, hashToken(token));
  return (
    owner && {
      actor: { userId: owner.userId, companyId: owner.companyId, isAdmin: owner.isAdmin },
      credential: { kind: 'api_token', id: owner.tokenId, scopes: null },
    }
  );
}
