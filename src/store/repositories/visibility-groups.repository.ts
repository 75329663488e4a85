import type { Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import type { VisibilityGroupsTable } from '../schema.js';

export type VisibilityGroupRow = Selectable<VisibilityGroupsTable>;

export async function listGroups(db: Executor, companyId: number): Promise<VisibilityGroupRow[]> {
  return db.selectFrom('visibility_groups').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
}

export async function insertGroup(db: Executor, companyId: number, name: string, parentId: number | null, time: string): Promise<number> {
  const row = await db.insertInto('visibility_groups').values({ company_id: companyId, name, parent_id: parentId, add_time: time }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The group of each user of the company that is in one. */
export async function groupMemberships(db: Executor, companyId: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('visibility_group_members').select(['user_id', 'group_id']).where('company_id', '=', companyId).execute();
  return new Map(rows.map((r) => [r.user_id, r.group_id]));
}

export async function groupOfUser(db: Executor, userId: number): Promise<number | undefined> {
  const row = await db.selectFrom('visibility_group_members').select('group_id').where('user_id', '=', userId).executeTakeFirst();
  return row?.group_id;
}

/** Puts the user in the group (out of any other), or in none when groupId is null. */
export async function setUserGroup(db: Executor, companyId: number, userId: number, groupId: number | null): Promise<void> {
  await db.deleteFrom('visibility_group_members').where('user_id', '=', userId).execute();
  if (groupId !== null) await db.insertInto('visibility_group_members').values({ user_id: userId, company_id: companyId, group_id: groupId }).execute();
}
