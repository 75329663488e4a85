import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as companyData from '../../store/repositories/company-data.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';
import { seedSystemFields } from '../person-fields/definitions.js';
import { seedActivityTypes } from '../activities/activity-type-seed.js';
import { issueToken } from '../users/tokens.js';
import { createCompany } from '../users/users.service.js';
import type { UserRow } from '../../store/repositories/users.repository.js';

export interface NewTenant {
  name?: string;
  admin_name?: string;
  admin_email?: string;
}

export interface CreatedTenant {
  company: { id: number; name: string };
  user: UserRow;
  api_token: string;
}

/**
 * Companies made and emptied on demand, so that a test suite can give every test a tenant of its own and put it
 * back to its first state between tests. Each operation is one transaction.
 */
export class Tenants {
  constructor(private readonly db: Kysely<Database>) {}

  create(input: NewTenant): Promise<CreatedTenant> {
    const suffix = randomBytes(4).toString('hex');
    const name = input.name ?? `test-${suffix}`;
    return this.db.transaction().execute(async (trx) => {
      const { companyId, admin } = await createCompany(trx, {
        name,
        adminName: input.admin_name ?? 'Admin',
        adminEmail: input.admin_email ?? `admin-${suffix}@example.com`,
      });
      await seedSystemFields(trx, companyId);
      await seedActivityTypes(trx, companyId);
      const token = await issueToken(trx, companyId, admin.id);
      return { company: { id: companyId, name }, user: admin, api_token: token };
    });
  }

  /** Empties the company's records and puts its system fields back; its users and their tokens stay. */
  reset(companyId: number): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      await this.mustExist(trx, companyId);
      await companyData.deleteCompanyData(trx, companyId);
      await seedSystemFields(trx, companyId);
      await seedActivityTypes(trx, companyId);
    });
  }

  delete(companyId: number): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      await this.mustExist(trx, companyId);
      await companyData.deleteCompanyData(trx, companyId);
      await companyData.deleteCompanyAccess(trx, companyId);
      await companyData.deleteCompanyRow(trx, companyId);
    });
  }

  /**
   * The whole database as at first start: the first (bootstrap) company, emptied, with only its first user, whose
   * token therefore stays valid; every other company and every OAuth app gone.
   */
  resetAll(): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      const [first, ...others] = await companyData.listCompanyIds(trx);
      for (const companyId of others) {
        await companyData.deleteCompanyData(trx, companyId);
        await companyData.deleteCompanyAccess(trx, companyId);
        await companyData.deleteCompanyRow(trx, companyId);
      }
      if (first !== undefined) {
        const firstUser = await companyData.firstUserId(trx, first);
        await companyData.deleteCompanyData(trx, first);
        await companyData.deleteCompanyAccess(trx, first, firstUser === undefined ? [] : [firstUser]);
        await seedSystemFields(trx, first);
        await seedActivityTypes(trx, first);
      }
      await companyData.deleteOauthApps(trx);
    });
  }

  async exists(companyId: number): Promise<boolean> {
    return companyData.companyExists(this.db, companyId);
  }

  /** The company's first admin: fixtures are written on its behalf. */
  async adminOf(companyId: number): Promise<Actor> {
    const userId = await companyData.firstAdminId(this.db, companyId);
    if (userId === undefined) throw notFound(`Company ${companyId} not found, or it has no admin user`);
    return { companyId, userId, isAdmin: true };
  }

  private async mustExist(db: Parameters<typeof companyData.companyExists>[0], companyId: number): Promise<void> {
    if (!(await companyData.companyExists(db, companyId))) throw notFound(`Company ${companyId} not found`);
  }
}
