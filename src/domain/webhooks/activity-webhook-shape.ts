import { findDealsByIds } from '../../store/repositories/deals.repository.js';
import type { ActivityRow } from '../../store/repositories/activities.repository.js';
import { listUsers } from '../../store/repositories/users.repository.js';
import { organizationsByIds, personsByIds } from '../../store/repositories/related-objects.repository.js';
import { permittedUserIds, usersWhoMaySeeRecord } from '../access/visibility.js';
import { activityNames } from '../activities/activity-names.js';
import { renderActivityV1, renderActivityV2 } from '../activities/activity-render.js';
import type { EventLookups } from './event-lookups.js';
import type { WebhookEntityShape } from './entity-shape.js';

/**
 * An activity in webhook payloads: v2 `data` is the v2 REST activity (attendees included), v1 `current` the v1 REST
 * activity. It goes only to users who see everything it is linked to, as the REST API shows it.
 */
export const activityWebhookShape: WebhookEntityShape<ActivityRow> = {
  entity: 'activity',
  id: (row) => row.id,
  permittedUserIds: (row, lookups) => whoSeesActivity(row, lookups),
  v2: async (row) => renderActivityV2(row, true),
  v1: async (row, lookups) => renderActivityV1(row, await activityNames(lookups.db, row.company_id, [row])),
};

async function whoSeesActivity(row: ActivityRow, lookups: EventLookups): Promise<number[]> {
  const { db } = lookups;
  const [persons, organizations, deals] = await Promise.all([
    personsByIds(db, row.company_id, row.person_id === null ? [] : [row.person_id]),
    organizationsByIds(db, row.company_id, row.org_id === null ? [] : [row.org_id]),
    findDealsByIds(db, row.company_id, row.deal_id === null ? [] : [row.deal_id]),
  ]);
  const sets = await Promise.all([
    ...persons.map((p) => permittedUserIds(db, row.company_id, p)),
    ...organizations.map((o) => usersWhoMaySeeRecord(db, row.company_id, o)),
    ...deals.map((d) => usersWhoMaySeeRecord(db, row.company_id, d)),
  ]);
  // Linked to nothing: every active user of the company sees it (the owner at least).
  if (sets.length === 0) return (await listUsers(db, row.company_id)).filter((u) => u.active_flag === 1).map((u) => u.id);
  return sets.reduce((both, set) => both.filter((id) => set.includes(id)));
}
