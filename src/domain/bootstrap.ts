import type { Kysely } from 'kysely';
import { getSetting, insertSettingIfAbsent } from '../store/repositories/settings.repository.js';
import type { Database } from '../store/schema.js';
import { nowStored } from './time.js';
import { issueToken } from './users/tokens.js';
import { createCompany } from './users/users.service.js';
import { seedActivityTypes } from './activities/activity-type-seed.js';

export interface BootstrapResult {
  companyId: number;
  userId: number;
  token: string;
}

/**
 * On a fresh database, creates the first company, its admin user and an API token (the given one, or a random
 * one). Returns undefined when the database was set up before. The marker row is inserted in the same
 * transaction, so two processes starting at once bootstrap once.
 */
export async function bootstrapIfEmpty(db: Kysely<Database>, token?: string): Promise<BootstrapResult | undefined> {
  if (await getSetting(db, 'bootstrapped_at')) return undefined;
  return db.transaction().execute(async (trx) => {
    if (!(await insertSettingIfAbsent(trx, 'bootstrapped_at', nowStored()))) return undefined;
    const { companyId, admin } = await createCompany(trx, { name: 'personsd', adminName: 'Admin', adminEmail: 'admin@example.com' });
    await seedActivityTypes(trx, companyId);
    const issued = await issueToken(trx, companyId, admin.id, token);
    return { companyId, userId: admin.id, token: issued };
  });
}
