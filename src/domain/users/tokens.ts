import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../store/executor.js';
import * as tokens from '../../store/repositories/tokens.repository.js';
import type { Authenticated } from '../access/credential.js';
import { invalid } from '../errors.js';
import { nowStored } from '../time.js';

/** Only this hash is stored; the token itself is shown once, when issued. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token in Pipedrive's format: 40 lowercase hex characters. */
export function generateToken(): string {
  return randomBytes(20).toString('hex');
}

/** Replaces the user's token; run it inside a transaction so the user is never left without one. */
export async function issueToken(db: Executor, companyId: number, userId: number, token = generateToken()): Promise<string> {
  if (token.length < 16) throw invalid('an API token must be at least 16 characters long');
  await tokens.deleteUserTokens(db, userId);
  await tokens.insertToken(db, companyId, userId, hashToken(token), nowStored());
  return token;
}

/**
 * Finds the user behind a token. The lookup is by SHA-256 of the token, so the stored secret is never compared
 * byte by byte with what the client sent: response timing tells an attacker nothing about stored tokens.
 */
export async function authenticate(db: Executor, token: string): Promise<Authenticated | undefined> {
  const owner = await tokens.findTokenOwner(db, hashToken(token));
  return (
    owner && {
      actor: { userId: owner.userId, companyId: owner.companyId, isAdmin: owner.isAdmin },
      credential: { kind: 'api_token', id: owner.tokenId, scopes: null },
    }
  );
}
