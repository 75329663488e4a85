import type { Kysely } from 'kysely';
import { type RecordViewer, visibleIds } from '../../store/record-visibility.js';
import { liveDeals } from '../../store/repositories/deals.repository.js';
import { findStagesByIds } from '../../store/repositories/pipelines.repository.js';
import { liveOrganizations } from '../../store/repositories/organizations.repository.js';
import { livePersons } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import type { SearchableFieldsOf } from './search-index.js';
import type { SearchTerm } from './search-plan.js';
import { type SearchItem, dealItem, organizationItem, personItem } from './search-render.js';
import type { Hit } from './tier-collector.js';

/** Turns a page of hits into search items, loading each kind's rows once and describing only what the viewer sees. */
export class SearchPageRenderer {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly fieldsOf: SearchableFieldsOf,
  ) {}

  /**
   * The page's items in order; a row deleted since it was found is left out, and so is the organization of a
   * person when the viewer may not see it (the item keeps `organization: null`).
   */
  private async render(
    companyId: number,
    hits: Hit[],
    term: SearchTerm,
    fields: string[] | undefined,
    includePicture: boolean,
    viewer: RecordViewer,
  ): Promise<SearchItem[]> {
    const personIds = hits.filter((h) => h.entity === 'person').map((h) => h.id);
    const persons = new Map((await livePersons(this.db, companyId, personIds)).map((p) => [p.id, p]));
    const orgIds = new Set<number>(hits.filter((h) => h.entity === 'organization').map((h) => h.id));
    const personOrgIds = [...new Set([...persons.values()].map((p) => p.org_id).filter((id): id is number => id !== null))];
    for (const id of await visibleIds(this.db, 'organizations', companyId, personOrgIds, viewer)) orgIds.add(id);
    const orgs = new Map((await liveOrganizations(this.db, companyId, [...orgIds])).map((o) => [o.id, o]));
    const wants = (field: string) => fields === undefined || fields.includes(field);
    // The definitions only say which custom values to show, and most persons hold none: no read for a page of those.
    const holdCustomValues = [...persons.values()].some((p) => p.custom_fields !== '{}');
    const customFields = wants('custom_fields') && holdCustomValues ? await this.fieldsOf(this.db, companyId) : [];
    const items: SearchItem[] = [];
    for (const hit of hits) {
      if (hit.entity === 'person') {
        const person = persons.get(hit.id);
        if (!person) continue;
        const org = person.org_id === null ? undefined : orgs.get(person.org_id);
        items.push(personItem(person, org, hit.score, { term, customFields, notes: wants('notes'), picture: includePicture }));
      } else {
        const org = orgs.get(hit.id);
        if (org) items.push(organizationItem(org, hit.score));
      }
    }
    return items;
  }

  /** A page of any kinds of items in order: deals rendered here, persons and organizations by render. */
  async renderItems(
    companyId: number,
    hits: Hit[],
    term: SearchTerm,
    fields: string[] | undefined,
    includePicture: boolean,
    viewer: RecordViewer,
  ): Promise<SearchItem[]> {
    const others = await this.render(companyId, hits.filter((h) => h.entity !== 'deal'), term, fields, includePicture, viewer);
    const deals = await this.renderDeals(companyId, hits.filter((h) => h.entity === 'deal'), viewer);
    const byKey = new Map([...others, ...deals].map((i) => [`${i.item.type}:${i.item.id}`, i]));
    return hits.flatMap((h) => byKey.get(`${h.entity}:${h.id}`) ?? []);
  }

  /**
   * Deal items with their person and organization, each only when the viewer may see it (null otherwise); a deal
   * deleted since it was found is left out.
   */
  private async renderDeals(companyId: number, hits: Hit[], viewer: RecordViewer): Promise<SearchItem[]> {
    if (hits.length === 0) return [];
    const deals = await liveDeals(this.db, companyId, hits.map((h) => h.id));
    const linked = (key: 'person_id' | 'org_id') => [...new Set(deals.flatMap((d) => (d[key] === null ? [] : [d[key]])))];
    const personIds = [...(await visibleIds(this.db, 'persons', companyId, linked('person_id'), viewer))];
    const orgIds = [...(await visibleIds(this.db, 'organizations', companyId, linked('org_id'), viewer))];
    const persons = new Map((await livePersons(this.db, companyId, personIds)).map((p) => [p.id, p]));
    const orgs = new Map((await liveOrganizations(this.db, companyId, orgIds)).map((o) => [o.id, o]));
    const stages = new Map((await findStagesByIds(this.db, companyId, [...new Set(deals.flatMap((d) => (d.stage_id === null ? [] : [d.stage_id])))])).map((s) => [s.id, s]));
    const byId = new Map(deals.map((d) => [d.id, d]));
    return hits.flatMap((hit) => {
      const deal = byId.get(hit.id);
      if (!deal) return [];
      const person = deal.person_id === null ? undefined : persons.get(deal.person_id);
      const stage = deal.stage_id === null ? undefined : stages.get(deal.stage_id);
      return [dealItem(deal, person, deal.org_id === null ? undefined : orgs.get(deal.org_id), stage, hit.score)];
    });
  }
}
