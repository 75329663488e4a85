import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../store/executor.js';
import * as repo from '../../store/repositories/console-auth.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import { now } from '../clock.js';
import { invalid, notFound } from '../errors.js';
import { toStoredTime } from '../time.js';
import { issueToken } from '../users/tokens.js';
import type { Authenticated } from './credential.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';

/** How long a console session lasts after sign-in (it does not slide: signing in again starts a new one). */
export const SESSION_TTL_SECONDS = 14 * 86_400;
/** How long an invite link may be used. */
export const INVITE_TTL_SECONDS = 7 * 86_400;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const later = (seconds: number) => toStoredTime(new Date(now() + seconds * 1000));

export interface SignedIn {
  /** The cookie's value: shown to the browser only, stored as its SHA-256. */
  sessionToken: string;
  /** The token the console sends in `x-csrf-token` on every write. */
  csrfToken: string;
  userId: number;
  companyId: number;
}

export interface SessionAuthenticated extends Authenticated {
  csrfToken: string;
}

/**
 * Sign-in for the web console: passwords, sessions and invites. A session acts exactly as its user's API token
 * does (same actor, same visibility, every scope); only how the browser proves it differs.
 */
export class ConsoleAuthService {
  constructor(private readonly db: Executor) {}

  /** The new session, or undefined when no active user with that e-mail has that password. */
  async signIn(email: string, password: string): Promise<SignedIn | undefined> {
    const holders = await repo.findPasswordHolders(this.db, email.trim());
    if (holders.length === 0) {
      await verifyPassword(password, await decoyHash());
      return undefined;
    }
    for (const holder of holders) {
      if (await verifyPassword(password, holder.passwordHash)) return this.startSession(holder.userId, holder.companyId);
    }
    return undefined;
  }

  private async startSession(userId: number, companyId: number): Promise<SignedIn> {
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const time = toStoredTime(new Date(now()));
    await this.db.transaction().execute(async (trx) => {
      await repo.insertSession(trx, { companyId, userId, tokenHash: sha256(sessionToken), csrfToken, time, expires: later(SESSION_TTL_SECONDS) });
      await repo.recordSignIn(trx, userId, time);
    });
    return { sessionToken, csrfToken, userId, companyId };
  }

  async authenticate(sessionToken: string): Promise<SessionAuthenticated | undefined> {
    const owner = await repo.findSessionOwner(this.db, sha256(sessionToken), toStoredTime(new Date(now())));
    return (
      owner && {
        actor: { userId: owner.userId, companyId: owner.companyId, isAdmin: owner.isAdmin },
        credential: { kind: 'session', id: owner.sessionId, scopes: null },
        csrfToken: owner.csrfToken,
      }
    );
  }

  /** The user a session belongs to, as the console shows it. */
  async user(companyId: number, userId: number) {
    return findUser(this.db, companyId, userId);
  }

  async signOut(sessionToken: string): Promise<void> {
    await repo.deleteSession(this.db, sha256(sessionToken));
  }

  /** A new API token for the user, replacing the old one (`personsd token create`), returned once. */
  async newApiToken(companyId: number, userId: number): Promise<string> {
    return this.db.transaction().execute((trx) => issueToken(trx, companyId, userId));
  }

  /** Sets (or replaces) a user's password and ends the user's sessions. */
  async setPassword(companyId: number, userId: number, password: string): Promise<void> {
    const user = await findUser(this.db, companyId, userId);
    if (!user) throw notFound(`no user with id ${userId} in company ${companyId}`);
    const passwordHash = await hashPassword(password);
    const time = toStoredTime(new Date(now()));
    await this.db.transaction().execute(async (trx) => {
      await repo.savePassword(trx, { userId, companyId, passwordHash, time });
      await repo.deleteUserSessions(trx, userId, time);
    });
  }

  /** A one-time secret for the invite link `/invite/<secret>` (valid INVITE_TTL_SECONDS). */
  async createInvite(companyId: number, userId: number): Promise<string> {
    const user = await findUser(this.db, companyId, userId);
    if (!user) throw notFound('User not found', `No user with id ${userId} exists in this company.`);
    if (user.active_flag !== 1) throw invalid(`user ${userId} is deactivated: activate the user first (PUT /v1/users/${userId} with active_flag true)`);
    const secret = randomBytes(24).toString('base64url');
    await repo.insertInvite(this.db, { companyId, userId, tokenHash: sha256(secret), time: toStoredTime(new Date(now())), expires: later(INVITE_TTL_SECONDS) });
    return secret;
  }

  /** Who an unused invite is for, or undefined. */
  async describeInvite(secret: string): Promise<{ name: string; email: string } | undefined> {
    return repo.inviteUser(this.db, sha256(secret), toStoredTime(new Date(now())));
  }

  /** Sets the password the invitee chose and signs them in; the invite cannot be used again. */
  async acceptInvite(secret: string, password: string): Promise<SignedIn> {
    const passwordHash = await hashPassword(password);
    const time = toStoredTime(new Date(now()));
    const invite = await this.db.transaction().execute(async (trx) => {
      const used = await repo.useInvite(trx, sha256(secret), time);
      if (!used) return undefined;
      await repo.savePassword(trx, { ...used, passwordHash, time });
      await repo.deleteUserSessions(trx, used.userId, time);
      return used;
    });
    if (!invite) throw invalid('This invite link is not valid: it was used already, expired, or mistyped. Ask for a new one.');
    return this.startSession(invite.userId, invite.companyId);
  }
}

/** Compares the CSRF token a request sent with the session's, in constant time. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
