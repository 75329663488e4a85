import type { Executor } from '../../store/executor.js';
import { findActivitiesByIds } from '../../store/repositories/activities.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { viewerOf } from '../access/visibility.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import type { FieldsOf } from '../person-fields/remembered-fields.js';
import type { Actor } from '../actor.js';
import { RelatedRefs, type RelatedObjects, loadRelatedObjects } from '../related-objects.js';
import { countOrganizations } from './organization-counts.js';
import { type OrganizationActivityDates, renderOrganizationV1 } from './organization-render-v1.js';

/** What v1 organization reads answer: the organizations and the users and organizations they name, described once. */
export interface OrganizationsV1View {
  items: Record<string, unknown>[];
  related: Pick<RelatedObjects, 'user' | 'organization'>;
}

/**
 * Organizations as v1 reads show them (lists, details and write answers): `renderOrganizationV1` with `owner_id`
 * as the v1 user object (`value` is the id), custom fields flat under their keys, and `related_objects`. A page costs a fixed number of queries.
 */
export async function organizationsV1View(db: Executor, actor: Actor, rows: readonly OrganizationRow[], fieldsOf: FieldsOf): Promise<OrganizationsV1View> {
  const refs = new RelatedRefs();
  for (const row of rows) {
    refs.user(row.owner_id);
    refs.organization(row.id);
  }
  const viewer = await viewerOf(db, actor);
  const ids = rows.map((r) => r.id);
  const [counts, fields] = await Promise.all([countOrganizations(db, actor, ids, 'all'), fieldsOf(db, actor, 'organization')]);
  // The page's own organizations are its related objects too: their people were just counted for this viewer.
  const peopleCounts = new Map([...counts].map(([id, c]) => [id, c.people_count]));
  const related = await loadRelatedObjects(db, actor.companyId, refs, viewer, peopleCounts);
  const dates = await activityDates(db, actor.companyId, [...counts.values()].flatMap((c) => [c.next_activity_id, c.last_activity_id]));
  const items = rows.map((row) => {
    const owner = related.user[row.owner_id];
    const c = counts.get(row.id)!;
    const next = c.next_activity_id === null ? undefined : dates.get(c.next_activity_id);
    const last = c.last_activity_id === null ? undefined : dates.get(c.last_activity_id);
    const shown: OrganizationActivityDates = { next_activity_date: next?.due_date ?? null, next_activity_time: next?.due_time ?? null, last_activity_date: last?.due_date ?? null };
    const organization = renderOrganizationV1(row, c, shown, owner?.name ?? null);
    organization.owner_id = owner ? { ...owner, value: row.owner_id } : { value: row.owner_id };
    return { ...organization, ...customFieldsToV1(fields, JSON.parse(row.custom_fields)) };
  });
  return { items, related: { user: related.user, organization: related.organization } };
}

/** The due dates and times of the next and last activities of a page (already counted as visible), by id. */
async function activityDates(db: Executor, companyId: number, ids: readonly (number | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  const rows = wanted.length === 0 ? [] : await findActivitiesByIds(db, companyId, wanted);
  return new Map(rows.map((r) => [r.id, { due_date: r.due_date, due_time: r.due_time }]));
}
