import type { Executor } from '../executor.js';
import { precompiled } from '../precompiled.js';

export interface TokenOwner {
  tokenId: number;
  userId: number;
  companyId: number;
  isAdmin: boolean;
}

// Every authenticated request runs it, so it is compiled once (see precompiled.ts).
const tokenOwnerQuery = precompiled((db, p: { tokenHash: string }) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'users.id as user_id', 'users.company_id', 'users.is_admin'])
    .where('api_tokens.token_hash', '=', p.tokenHash)
    .where('users.active_flag', '=', 1),
);

export async function findTokenOwner(db: Executor, tokenHash: string): Promise<TokenOwner | undefined> {
  const row = (await tokenOwnerQuery(db, { tokenHash })).rows[0];
  return row && { tokenId: row.token_id, userId: row.user_id, companyId: row.company_id, isAdmin: row.is_admin === 1 };
}

export async function insertToken(db: Executor, companyId: number, userId: number, tokenHash: string, time: string): Promise<void> {
  await db.insertInto('api_tokens').values({ company_id: companyId, user_id: userId, token_hash: tokenHash, add_time: time }).execute();
}

/** One active token per user, as in Pipedrive: issuing a new one revokes the others. */
export async function deleteUserTokens(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
}

/** Whether an API token that did not authenticate exists at all (its user deactivated) or is unknown. */
export async function describeApiToken(db: Executor, tokenHash: string): Promise<{ userActive: boolean } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select('users.active_flag')
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { userActive: row.active_flag === 1 };
}
