import type { Kysely } from 'kysely';
import { deleteUserSessions } from '../../store/repositories/console-auth.repository.js';
import * as users from '../../store/repositories/users.repository.js';
import type { UserRow } from '../../store/repositories/users.repository.js';
import { groupOfUser, listGroups } from '../../store/repositories/visibility-groups.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { nowStored } from '../time.js';

/** The `visible_to` a person, organization or deal gets when its create names none (personsd's one default). */
export const DEFAULT_VISIBILITY = 3;

/**
 * What a user may do, in Pipedrive's permission names, answered from what personsd enforces: admins manage
 * fields, everyone may use the API, import, export and merge persons. Features personsd does not have (products,
 * leads, insights, workflows, statistics, filters, following users, merging organizations or deals) are false,
 * since nobody can do them here.
 */
export function permissionsOf(user: UserRow): Record<string, boolean> {
  const admin = user.is_admin === 1;
  const enforced = { can_add_custom_fields: admin, can_edit_custom_fields: admin, can_delete_custom_fields: admin, can_modify_labels: admin };
  const everyone = {
    can_use_api: true,
    can_use_import: true,
    can_export_data_from_lists: true,
    can_merge_people: true,
    can_see_other_users: true,
    can_change_visibility_of_items: true,
    can_delete_deals: true,
    can_edit_deals_closed_date: true,
  };
  const absent = [
    'can_add_products', 'can_add_prospects_as_leads', 'can_bulk_edit_items', 'can_convert_deals_to_leads', 'can_create_own_workflow',
    'can_delete_activities', 'can_edit_products', 'can_edit_shared_filters', 'can_follow_other_users', 'can_merge_deals',
    'can_merge_organizations', 'can_see_company_wide_statistics', 'can_see_deals_list_summary', 'can_see_hidden_items_names',
    'can_see_other_users_statistics', 'can_see_security_dashboard', 'can_share_filters', 'can_share_insights', 'can_use_email_tracking',
  ];
  return { ...Object.fromEntries(absent.map((name) => [name, false])), ...enforced, ...everyone };
}

export interface RoleAssignment {
  user_id: number;
  role_id: number;
  parent_role_id: number | null;
  name: string;
  active_flag: boolean;
  type: string;
}

/**
 * Users' roles, followers and activation. personsd's roles are its visibility groups (what Pipedrive's roles
 * decide about visibility), so a user's role assignment is the group the user is in, if any.
 */
export class UserAccessService {
  constructor(private readonly db: Kysely<Database>) {}

  private async user(actor: Actor, id: number): Promise<UserRow> {
    const user = await users.findUser(this.db, actor.companyId, id);
    if (!user) throw notFound('User not found or not accessible.');
    return user;
  }

  /**
   * PUT /v1/users/{id}: only `active_flag` changes, by an admin, and never the caller's own (that would lock them out).
   * Deactivating signs the user out of the console for good: their sessions end with it, so reactivating them later
   * does not bring back a session someone may still hold. Their API tokens are refused while they are inactive and
   * work again afterwards, as Pipedrive's do.
   */
  async setActive(actor: Actor, id: number, active: boolean): Promise<UserRow> {
    if (!actor.isAdmin) throw forbidden('Only admins can activate or deactivate users', 'Ask an admin of the company, or use an admin token.');
    await this.user(actor, id);
    if (id === actor.userId && !active) throw invalid('You cannot deactivate yourself', 'Ask another admin to deactivate your user.');
    const now = nowStored();
    await this.db.transaction().execute(async (trx) => {
      await users.setUserActive(trx, actor.companyId, id, active, now);
      if (!active) await deleteUserSessions(trx, id, now);
    });
    return this.user(actor, id);
  }

  async permissions(actor: Actor, id: number): Promise<Record<string, boolean>> {
    return permissionsOf(await this.user(actor, id));
  }

  /** Users do not follow users in personsd: every user exists, none is followed. */
  async followers(actor: Actor, id: number): Promise<number[]> {
    await this.user(actor, id);
    return [];
  }

  async roleAssignments(actor: Actor, id: number): Promise<RoleAssignment[]> {
    const user = await this.user(actor, id);
    const groupId = await groupOfUser(this.db, user.id);
    if (groupId === undefined) return [];
    const group = (await listGroups(this.db, actor.companyId)).find((g) => g.id === groupId);
    if (!group) return [];
    return [{ user_id: user.id, role_id: group.id, parent_role_id: group.parent_id, name: group.name, active_flag: user.active_flag === 1, type: '1' }];
  }

  /** The default visibility personsd gives new records, the same for every user and entity. */
  async roleSettings(actor: Actor, id: number): Promise<Record<string, number>> {
    await this.user(actor, id);
    return {
      deal_default_visibility: DEFAULT_VISIBILITY,
      org_default_visibility: DEFAULT_VISIBILITY,
      person_default_visibility: DEFAULT_VISIBILITY,
    };
  }
}
