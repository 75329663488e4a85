/** The authenticated caller: every domain operation runs on behalf of one user of one company. */
export interface Actor {
  userId: number;
  companyId: number;
  isAdmin: boolean;
}
