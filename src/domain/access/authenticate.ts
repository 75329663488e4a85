import type { Executor } from '../../store/executor.js';
import { findAccessTokenOwner } from '../../store/repositories/oauth.repository.js';
import { nowStored } from '../time.js';
import { authenticate as authenticateApiToken } from '../users/tokens.js';
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
