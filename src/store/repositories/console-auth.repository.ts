import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export interface PasswordHolder {
  userId: number;
  companyId: number;
  isAdmin: boolean;
  passwordHash: string;
}

/** Active users with this e-mail (any company, folded for ASCII case) that have a console password. */
export async function findPasswordHolders(db: Executor, email: string): Promise<PasswordHolder[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_passwords', 'user_passwords.user_id', 'users.id')
    .select(['users.id', 'users.company_id', 'users.is_admin', 'user_passwords.password_hash'])
    .where(sql<string>`lower(users.email)`, '=', email.toLowerCase())
    .where('users.active_flag', '=', 1)
    .orderBy('users.id')
    .limit(10)
    .execute();
  return rows.map((r) => ({ userId: r.id, companyId: r.company_id, isAdmin: r.is_admin === 1, passwordHash: r.password_hash }));
}

export async function savePassword(db: Executor, row: { userId: number; companyId: number; passwordHash: string; time: string }): Promise<void> {
  await db
    .insertInto('user_passwords')
    .values({ user_id: row.userId, company_id: row.companyId, password_hash: row.passwordHash, update_time: row.time })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: row.passwordHash, update_time: row.time }))
    .execute();
}

export async function insertSession(db: Executor, row: { companyId: number; userId: number; tokenHash: string; csrfToken: string; time: string; expires: string }): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({ company_id: row.companyId, user_id: row.userId, token_hash: row.tokenHash, csrf_token: row.csrfToken, add_time: row.time, expires_time: row.expires })
    .execute();
}

export interface SessionOwner {
  sessionId: number;
  userId: number;
  companyId: number;
  isAdmin: boolean;
  csrfToken: string;
}

/** The live session with this hash, of an active user. */
export async function findSessionOwner(db: Executor, tokenHash: string, now: string): Promise<SessionOwner | undefined> {
  const row = await db
    .selectFrom('console_sessions')
    .innerJoin('users', 'users.id', 'console_sessions.user_id')
    .select(['console_sessions.id', 'console_sessions.csrf_token', 'users.id as user_id', 'users.company_id', 'users.is_admin'])
    .where('console_sessions.token_hash', '=', tokenHash)
    .where('console_sessions.expires_time', '>', now)
    .where('users.active_flag', '=', 1)
    .executeTakeFirst();
  return row && { sessionId: row.id, userId: row.user_id, companyId: row.company_id, isAdmin: row.is_admin === 1, csrfToken: row.csrf_token };
}

/** What `GET /v1/users` shows as `last_login`: the user's latest console sign-in. */
export async function recordSignIn(db: Executor, userId: number, time: string): Promise<void> {
  await db.updateTable('users').set({ last_login: time }).where('id', '=', userId).execute();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute();
}

/** A new password or a deactivation ends every session of the user (and expired sessions of anyone go with them). */
export async function deleteUserSessions(db: Executor, userId: number, now: string): Promise<void> {
  await db.deleteFrom('console_sessions').where((eb) => eb.or([eb('user_id', '=', userId), eb('expires_time', '<=', now)])).execute();
}

export async function insertInvite(db: Executor, row: { companyId: number; userId: number; tokenHash: string; time: string; expires: string }): Promise<void> {
  await db
    .insertInto('console_invites')
    .values({ company_id: row.companyId, user_id: row.userId, token_hash: row.tokenHash, add_time: row.time, expires_time: row.expires })
    .execute();
}

/** Marks an unused, unexpired invite of an active user used and returns whose it was; undefined when there is none (one use only). */
export async function useInvite(db: Executor, tokenHash: string, now: string): Promise<{ userId: number; companyId: number } | undefined> {
  const row = await db
    .updateTable('console_invites')
    .set({ used_time: now })
    .where('token_hash', '=', tokenHash)
    .where('used_time', 'is', null)
    .where('expires_time', '>', now)
    // A user deactivated after the invite was made cannot use it (nor could they sign in with the password).
    .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('active_flag', '=', 1))
    .returning(['user_id', 'company_id'])
    .executeTakeFirst();
  return row && { userId: row.user_id, companyId: row.company_id };
}

/** Whether an unused, unexpired invite of an active user has this hash (the invite page asks before showing its form). */
export async function inviteUser(db: Executor, tokenHash: string, now: string): Promise<{ name: string; email: string } | undefined> {
  return db
    .selectFrom('console_invites')
    .innerJoin('users', 'users.id', 'console_invites.user_id')
    .select(['users.name', 'users.email'])
    .where('console_invites.token_hash', '=', tokenHash)
    .where('console_invites.used_time', 'is', null)
    .where('console_invites.expires_time', '>', now)
    .where('users.active_flag', '=', 1)
    .executeTakeFirst();
}
