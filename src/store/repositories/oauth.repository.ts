import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import type { OauthAppsTable, OauthCodesTable, OauthGrantsTable, OauthTokensTable } from '../schema.js';

export type OauthAppRow = Selectable<OauthAppsTable>;
export type OauthCodeRow = Selectable<OauthCodesTable>;
export type OauthGrantRow = Selectable<OauthGrantsTable>;

export async function insertApp(db: Executor, row: Insertable<OauthAppsTable>): Promise<OauthAppRow> {
  return db.insertInto('oauth_apps').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findAppByClientId(db: Executor, clientId: string): Promise<OauthAppRow | undefined> {
  return db.selectFrom('oauth_apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function insertCode(db: Executor, row: Insertable<OauthCodesTable>): Promise<void> {
  await db.insertInto('oauth_codes').values(row).execute();
}

/** Deletes and returns the code in one statement, so two concurrent exchanges cannot both use it. */
export async function takeCode(db: Executor, codeHash: string): Promise<OauthCodeRow | undefined> {
  return db.deleteFrom('oauth_codes').where('code_hash', '=', codeHash).returningAll().executeTakeFirst();
}

export async function deleteExpiredCodes(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('oauth_codes').where('expires_time', '<=', now).execute();
}

export async function insertGrant(db: Executor, row: Insertable<OauthGrantsTable>): Promise<number> {
  const inserted = await db.insertInto('oauth_grants').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Marks the grant revoked and deletes its tokens; returns false when it was revoked already. */
/**
 * Ends a grant: its refresh tokens go; its access tokens stay, refused by every lookup (they check the grant), so a
 * client presenting one is told the grant was revoked rather than that the token is unknown.
 */
export async function revokeGrant(db: Executor, grantId: number, time: string): Promise<boolean> {
  await db.deleteFrom('oauth_tokens').where('grant_id', '=', grantId).where('kind', '=', 'refresh').execute();
  const result = await db.updateTable('oauth_grants').set({ revoked_time: time }).where('id', '=', grantId).where('revoked_time', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertToken(db: Executor, row: Insertable<OauthTokensTable>): Promise<number> {
  const inserted = await db.insertInto('oauth_tokens').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export interface GrantToken {
  tokenId: number;
  kind: 'access' | 'refresh';
  expiresTime: string;
  rotatedTime: string | null;
  grantId: number;
  appId: number;
  companyId: number;
  userId: number;
  scopes: string;
  grantRevoked: boolean;
  userActive: boolean;
}

/** A token by hash with its grant and whether the grant's user is still active. */
export async function findGrantToken(db: Executor, tokenHash: string): Promise<GrantToken | undefined> {
  const row = await db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select([
      't.id as token_id',
      't.kind',
      't.expires_time',
      't.rotated_time',
      'g.id as grant_id',
      'g.app_id',
      'g.company_id',
      'g.user_id',
      'g.scopes',
      'g.revoked_time',
      'u.active_flag',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && {
      tokenId: row.token_id,
      kind: row.kind,
      expiresTime: row.expires_time,
      rotatedTime: row.rotated_time,
      grantId: row.grant_id,
      appId: row.app_id,
      companyId: row.company_id,
      userId: row.user_id,
      scopes: row.scopes,
      grantRevoked: row.revoked_time !== null,
      userActive: row.active_flag === 1,
    }
  );
}

export interface AccessTokenOwner {
  tokenId: number;
  companyId: number;
  userId: number;
  isAdmin: boolean;
  scopes: string;
}

/** The live access token's user and scopes: unexpired, grant not revoked, user active. */
export async function findAccessTokenOwner(db: Executor, tokenHash: string, now: string): Promise<AccessTokenOwner | undefined> {
  const row = await db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['t.id as token_id', 'g.company_id', 'g.user_id', 'g.scopes', 'u.is_admin'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.kind', '=', 'access')
    .where('t.expires_time', '>', now)
    .where('g.revoked_time', 'is', null)
    .where('u.active_flag', '=', 1)
    .executeTakeFirst();
  return row && { tokenId: row.token_id, companyId: row.company_id, userId: row.user_id, isAdmin: row.is_admin === 1, scopes: row.scopes };
}

/** Marks a refresh token used; false when another request used it first. */
export async function markRotated(db: Executor, tokenId: number, time: string): Promise<boolean> {
  const result = await db.updateTable('oauth_tokens').set({ rotated_time: time }).where('id', '=', tokenId).where('rotated_time', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteToken(db: Executor, tokenId: number): Promise<void> {
  await db.deleteFrom('oauth_tokens').where('id', '=', tokenId).execute();
}

/** What is known of an access token that did not authenticate: why it failed, for the 401's explanation. */
export async function describeAccessToken(db: Executor, tokenHash: string): Promise<{ expiresTime: string; grantRevoked: boolean; userActive: boolean } | undefined> {
  const row = await db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['t.expires_time', 'g.revoked_time', 'u.active_flag'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.kind', '=', 'access')
    .executeTakeFirst();
  return row && { expiresTime: row.expires_time, grantRevoked: row.revoked_time !== null, userActive: row.active_flag === 1 };
}
