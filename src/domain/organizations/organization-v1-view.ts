import type { Executor } from '../../store/executor.js';
import { countOrganizationRelations } from '../../store/repositories/organization-v1.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { personCountsByOrganization } from '../../store/repositories/related-objects.repository.js';
import { viewerOf } from '../access/visibility.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import { loadFields } from '../person-fields/definitions.js';
import type { Actor } from '../actor.js';
import { RelatedRefs, type RelatedObjects, loadRelatedObjects } from '../related-objects.js';
import { NO_ORGANIZATION_COUNTS, type OrganizationV1Counts, renderOrganizationV1 } from './organization-render-v1.js';

/** What v1 organization reads answer: the organizations and the users and organizations they name, described once. */
export interface OrganizationsV1View {
  items: Record<string, unknown>[];
  related: Pick<RelatedObjects, 'user' | 'organization'>;
}

/**
 * Organizations as v1 reads show them (lists, details and write answers): `renderOrganizationV1` with `owner_id`
 * as the v1 user object (`value` is the id), custom fields flat under their keys, and `related_objects`. A page costs a fixed number of queries.
 */
export async function organizationsV1View(db: Executor, actor: Actor, rows: readonly OrganizationRow[]): Promise<OrganizationsV1View> {
  const refs = new RelatedRefs();
  for (const row of rows) {
    refs.user(row.owner_id);
    refs.organization(row.id);
  }
  const viewer = await viewerOf(db, actor);
  const ids = rows.map((r) => r.id);
  const [related, people, relations, fields] = await Promise.all([
    loadRelatedObjects(db, actor.companyId, refs, viewer),
    personCountsByOrganization(db, actor.companyId, ids),
    countOrganizationRelations(db, actor.companyId, ids, viewer),
    loadFields(db, actor.companyId, 'organization'),
  ]);
  const counts = new Map<number, OrganizationV1Counts>(rows.map((r) => [r.id, { ...NO_ORGANIZATION_COUNTS, people_count: people.get(r.id) ?? 0, notes_count: relations.notes.get(r.id) ?? 0 }]));
  for (const { orgId, status, n } of relations.deals) {
    const c = counts.get(orgId);
    if (!c) continue;
    if (status === 'open') c.open_deals_count += n;
    if (status === 'won') c.won_deals_count += n;
    if (status === 'lost') c.lost_deals_count += n;
    if (status === 'won' || status === 'lost') c.closed_deals_count += n;
  }
  const items = rows.map((row) => {
    const owner = related.user[row.owner_id];
    const organization = renderOrganizationV1(row, counts.get(row.id) as OrganizationV1Counts, owner?.name ?? null);
    organization.owner_id = owner ? { ...owner, value: row.owner_id } : { value: row.owner_id };
    return { ...organization, ...customFieldsToV1(fields, JSON.parse(row.custom_fields)) };
  });
  return { items, related: { user: related.user, organization: related.organization } };
}
