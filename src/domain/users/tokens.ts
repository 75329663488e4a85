import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../store/executor.js';
import * as tokens from '../../store/repositories/tokens.repository.js';
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
