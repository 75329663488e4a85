import type { Executor } from '../../store/executor.js';
import type { ActivityRow } from '../../store/repositories/activities.repository.js';
import { findDealsByIds } from '../../store/repositories/deals.repository.js';
import { organizationsByIds, personsByIds, usersByIds } from '../../store/repositories/related-objects.repository.js';
import type { ActivityNames } from './activity-render.js';

/**
 * The person, organization, deal and owner names of a page of activities, one query each. An activity is seen only
 * by whoever sees all it is linked to, so the names need no visibility check of their own.
 */
export async function activityNames(db: Executor, companyId: number, rows: readonly ActivityRow[]): Promise<ActivityNames> {
  const ids = (pick: (a: ActivityRow) => number | null) => [...new Set(rows.map(pick).filter((id): id is number => id !== null))];
  const [persons, organizations, deals, users] = await Promise.all([
    personsByIds(db, companyId, ids((a) => a.person_id)),
    organizationsByIds(db, companyId, ids((a) => a.org_id)),
    findDealsByIds(db, companyId, ids((a) => a.deal_id)),
    usersByIds(db, companyId, ids((a) => a.owner_id)),
  ]);
  return {
    persons: new Map(persons.map((p) => [p.id, p])),
    organizations: new Map(organizations.map((o) => [o.id, o])),
    deals: new Map(deals.map((d) => [d.id, d])),
    users: new Map(users.map((u) => [u.id, u])),
  };
}
