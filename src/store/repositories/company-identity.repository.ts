import type { Executor } from '../executor.js';

export interface CompanyIdentityRow {
  default_region: string | null;
  duplicate_policy: string | null;
}

export async function findCompanyIdentity(db: Executor, companyId: number): Promise<CompanyIdentityRow | undefined> {
  return db.selectFrom('companies').select(['default_region', 'duplicate_policy']).where('id', '=', companyId).executeTakeFirst();
}

export async function updateCompanyIdentity(db: Executor, companyId: number, changes: Partial<CompanyIdentityRow>): Promise<void> {
  await db.updateTable('companies').set(changes).where('id', '=', companyId).execute();
}

/** Ids of every company, for re-keying the whole installation. */
export async function companyIds(db: Executor): Promise<number[]> {
  return (await db.selectFrom('companies').select('id').orderBy('id').execute()).map((r) => r.id);
}
