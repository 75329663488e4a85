/** The authenticated caller: every domain operation runs on behalf of one user of one company. */
export interface Actor {
  userId: number;
  companyId: number;
  isAdmin: boolean;
  /** The client program acting for the user, as its User-Agent header names it (recorded in the changelog). */
  userAgent?: string;
}
