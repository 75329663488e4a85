/** The authenticated caller: every domain operation runs on behalf of one user of one company. */
export interface Actor {
  userId: number;
  companyId: number;
  isAdmin: boolean;
  /** The client program acting for the user, as its User-Agent header names it (recorded in the changelog). */
  userAgent?: string;
  /**
   * When the request acting arrived (`performance.now()`): settings remembered while unchanged may be checked against
   * any check made since (remembered-while-unchanged.ts), one round trip a request on PostgreSQL instead of one per
   * setting. Unset (commands, imports): each check makes its own.
   */
  arrivedAt?: number;
}
