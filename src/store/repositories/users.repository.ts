import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import type { CompaniesTable, UsersTable } from '../schema.js';

export type UserRow = Selectable<UsersTable>;
export type CompanyRow = Selectable<CompaniesTable>;

export async function findUser(db: Executor, companyId: number, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, companyId: number, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('email', '=', email).executeTakeFirst();
}

export async function listUsers(db: Executor, companyId: number): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
}

export async function insertUser(db: Executor, row: Insertable<UsersTable>): Promise<number> {
  const inserted = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findCompany(db: Executor, id: number): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCompany(db: Executor, row: Insertable<CompaniesTable>): Promise<number> {
  const inserted = await db.insertInto('companies').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function countActiveUsers(db: Executor, companyId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .where('active_flag', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every user, or a company's, ordered by company then id (for the operator's `personsd users`). */
export async function listAllUsers(db: Executor, companyId?: number): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll();
  if (companyId !== undefined) query = query.where('company_id', '=', companyId);
  return query.orderBy('company_id').orderBy('id').execute();
}

export async function firstCompanyId(db: Executor): Promise<number | undefined> {
  return (await db.selectFrom('companies').select('id').orderBy('id').limit(1).executeTakeFirst())?.id;
}

/** The company's first active admin: the one the first start created, unless it was deactivated since. */
export async function firstActiveAdmin(db: Executor, companyId: number): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('is_admin', '=', 1)
    .where('active_flag', '=', 1)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Activates or deactivates a user (PUT /v1/users/{id}); the token caches hear of it through the users table. */
export async function setUserActive(db: Executor, companyId: number, id: number, active: boolean, time: string): Promise<void> {
  await db.updateTable('users').set({ active_flag: active ? 1 : 0, modified: time }).where('id', '=', id).where('company_id', '=', companyId).execute();
}
