import type { DealRow } from '../store/repositories/deals.repository.js';
import type { Executor } from '../store/executor.js';
import type { RecordViewer } from '../store/record-visibility.js';
import { organizationsByIds, personCountsByOrganization, personsByIds, usersByIds } from '../store/repositories/related-objects.repository.js';

/** The ids a v1 response refers to; `related_objects` describes each of them once. */
export class RelatedRefs {
  readonly users = new Set<number>();
  readonly persons = new Set<number>();
  readonly organizations = new Set<number>();
  readonly deals = new Map<number, DealRow>();

  user(id: number | null | undefined): void {
    if (id != null) this.users.add(id);
  }
  person(id: number | null | undefined): void {
    if (id != null) this.persons.add(id);
  }
  organization(id: number | null | undefined): void {
    if (id != null) this.organizations.add(id);
  }
  deal(row: DealRow): void {
    this.deals.set(row.id, row);
    this.user(row.owner_id);
    this.organization(row.org_id);
  }
}

export interface RelatedObjects {
  user: Record<string, { id: number; name: string; email: string; has_pic: number; pic_hash: string | null; active_flag: boolean }>;
  person: Record<string, { active_flag: boolean; id: number; name: string; email: unknown[]; phone: unknown[]; owner_id: number }>;
  organization: Record<
    string,
    { id: number; name: string; people_count: number; owner_id: number; address: string | null; active_flag: boolean; cc_email: null }
  >;
  deal: Record<string, { id: number; title: string; status: string; value: number; currency: string; stage_id: number | null; pipeline_id: number | null }>;
}

/**
 * Loads every referred object with one query per kind, in v1's `related_objects` shapes keyed by id. Persons and
 * organizations the viewer may not see are left out (deals are referred to only when the caller sees them).
 */
export async function loadRelatedObjects(
  db: Executor,
  companyId: number,
  refs: RelatedRefs,
  viewer: RecordViewer,
  /** The organizations' people counts for this viewer when the caller has them already (a v1 organization view). */
  knownPeopleCounts?: ReadonlyMap<number, number>,
): Promise<RelatedObjects> {
  const orgIds = [...refs.organizations];
  const [users, persons, organizations, peopleCounts] = await Promise.all([
    usersByIds(db, companyId, [...refs.users]),
    personsByIds(db, companyId, [...refs.persons], viewer),
    organizationsByIds(db, companyId, orgIds, viewer),
    knownPeopleCounts ?? personCountsByOrganization(db, companyId, orgIds, viewer),
  ]);
  const related: RelatedObjects = { user: {}, person: {}, organization: {}, deal: {} };
  for (const u of users) {
    related.user[u.id] = { id: u.id, name: u.name, email: u.email, has_pic: 0, pic_hash: null, active_flag: u.active_flag === 1 };
  }
  for (const p of persons) {
    related.person[p.id] = {
      active_flag: p.deleted_time === null,
      id: p.id,
      name: p.name,
      email: JSON.parse(p.emails),
      phone: JSON.parse(p.phones),
      owner_id: p.owner_id,
    };
  }
  for (const o of organizations) {
    const address = o.address === null ? null : ((JSON.parse(o.address) as { value?: string | null }).value ?? null);
    related.organization[o.id] = {
      id: o.id,
      name: o.name,
      people_count: peopleCounts.get(o.id) ?? 0,
      owner_id: o.owner_id,
      address,
      active_flag: o.deleted_time === null,
      cc_email: null,
    };
  }
  for (const d of refs.deals.values()) {
    related.deal[d.id] = { id: d.id, title: d.title, status: d.status, value: d.value, currency: d.currency, stage_id: d.stage_id, pipeline_id: d.pipeline_id };
  }
  return related;
}
