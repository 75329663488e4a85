import { findUser, listUsers } from '../../store/repositories/users.repository.js';
import type { Executor } from '../../store/executor.js';
import { followerUserIds } from '../../store/repositories/person-followers.repository.js';
import { type RecordViewer, SEES_EVERYTHING, TOP_GROUP } from '../../store/record-visibility.js';
import * as groups from '../../store/repositories/visibility-groups.repository.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { nowStored } from '../time.js';

/*
 * Who sees a person, organization or deal, by its `visible_to` (Pipedrive's levels, on a simple groups model):
 *   1  the owner (and followers)                 3  the owner's visibility group
 *   5  the owner's group and its sub-groups      7  the entire company
 * Admins see every record; a follower sees a person whatever its level (personsd keeps followers for persons only). Groups form a tree per company; a user
 * is in at most one, and users in none are in the implicit top group, the root of the tree. So a company that
 * never sets up groups sees 3 and 5 like 7 (Pipedrive's Lite/Growth meaning of 3: "entire company").
 */

export interface GroupTree {
  /** Each group's parent (TOP_GROUP for groups at the top). */
  parentOf: ReadonlyMap<number, number>;
}

/** A group and its ancestors, ending with the top group. */
export function groupChain(tree: GroupTree, groupId: number): number[] {
  const chain = [groupId];
  let current = groupId;
  while (current !== TOP_GROUP && chain.length <= tree.parentOf.size + 1) {
    current = tree.parentOf.get(current) ?? TOP_GROUP;
    chain.push(current);
  }
  return chain;
}

export interface Viewer {
  userId: number;
  isAdmin: boolean;
  groupId: number;
}

/** An owned record as the rule reads it. */
export interface OwnedRecord {
  owner_id: number;
  visible_to: number;
}

/** The one domain rule deciding whether a user sees a record (recordVisibleTo is its SQL form). */
export function userMaySee(viewer: Viewer, record: OwnedRecord, ownerGroupId: number, followerIds: readonly number[], tree: GroupTree): boolean {
  if (viewer.isAdmin || viewer.userId === record.owner_id || followerIds.includes(viewer.userId)) return true;
  switch (record.visible_to) {
    case 7:
      return true;
    case 3:
      return viewer.groupId === ownerGroupId;
    case 5:
      return groupChain(tree, viewer.groupId).includes(ownerGroupId);
    default:
      return false;
  }
}

async function groupTree(db: Executor, companyId: number): Promise<GroupTree> {
  const rows = await groups.listGroups(db, companyId);
  return { parentOf: new Map(rows.map((g) => [g.id, g.parent_id ?? TOP_GROUP])) };
}

/** The viewer for store queries made on the actor's behalf: admins see everything, at no cost. */
export async function viewerOf(db: Executor, actor: Actor): Promise<RecordViewer> {
  if (actor.isAdmin) return SEES_EVERYTHING;
  const groupId = (await groups.groupOfUser(db, actor.userId)) ?? TOP_GROUP;
  const chain = groupId === TOP_GROUP ? [TOP_GROUP] : groupChain(await groupTree(db, actor.companyId), groupId);
  return { everything: false, userId: actor.userId, groupId, groupChain: chain };
}

/** The active users who may see the person (permittedUsers, and the users a webhook event may go to). */
export async function permittedUserIds(db: Executor, companyId: number, person: OwnedRecord & { id: number }): Promise<number[]> {
  return usersWhoMaySee(db, companyId, person, await followerUserIds(db, companyId, person.id));
}

/** The active users who may see an organization or a deal (the users a webhook event about it may go to). */
export function usersWhoMaySeeRecord(db: Executor, companyId: number, record: OwnedRecord): Promise<number[]> {
  return usersWhoMaySee(db, companyId, record, []);
}

async function usersWhoMaySee(db: Executor, companyId: number, record: OwnedRecord, followerIds: readonly number[]): Promise<number[]> {
  const [users, memberships, tree] = await Promise.all([listUsers(db, companyId), groups.groupMemberships(db, companyId), groupTree(db, companyId)]);
  return activeUsersWhoMaySee(record, followerIds, users, memberships, tree);
}

/** userMaySee over a company's users: the ids of the active ones who see the record, ascending. */
export function activeUsersWhoMaySee(
  record: OwnedRecord,
  followerIds: readonly number[],
  users: readonly { id: number; is_admin: number; active_flag: number }[],
  memberships: ReadonlyMap<number, number>,
  tree: GroupTree,
): number[] {
  const groupOf = (userId: number) => memberships.get(userId) ?? TOP_GROUP;
  return users
    .filter((u) => u.active_flag === 1)
    .filter((u) => userMaySee({ userId: u.id, isAdmin: u.is_admin === 1, groupId: groupOf(u.id) }, record, groupOf(record.owner_id), followerIds, tree))
    .map((u) => u.id)
    .sort((a, b) => a - b);
}

/** Creates a visibility group of the company, at the top or under `parentId`. */
export async function createVisibilityGroup(db: Executor, companyId: number, name: string, parentId: number | null = null): Promise<number> {
  if (name.trim() === '') throw invalid('a visibility group needs a name');
  if (parentId !== null && !(await groupTree(db, companyId)).parentOf.has(parentId)) throw invalid(`no visibility group ${parentId} in this company`);
  return groups.insertGroup(db, companyId, name.trim(), parentId, nowStored());
}

/** Moves a user of the company into a group, or back to the top group with null. */
export async function assignVisibilityGroup(db: Executor, companyId: number, userId: number, groupId: number | null): Promise<void> {
  if (!(await findUser(db, companyId, userId))) throw invalid(`no user ${userId} in this company`);
  if (groupId !== null && !(await groupTree(db, companyId)).parentOf.has(groupId)) throw invalid(`no visibility group ${groupId} in this company`);
  await groups.setUserGroup(db, companyId, userId, groupId);
}
