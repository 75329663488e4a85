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
