import type { Kysely } from 'kysely';
import type { SearchEntity } from '../../store/search/search-match.js';
import type { Database } from '../../store/schema.js';
import { dealIdsMatching } from '../../store/repositories/deals.repository.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid } from '../errors.js';
import type { Region } from '../normalize/contact-keys.js';
import { DEFAULT_LIMIT } from '../paging.js';
import { FieldSearch } from './field-search.js';
import { ENTITY_ORDER, compareMerged, resumeAfter } from './merged-order.js';
import { SearchCursors, queryFingerprint } from './search-cursors.js';
import { type SearchableFieldsOf, searchableCustomFields } from './search-index.js';
import { SearchPageRenderer } from './search-page-render.js';
import { withPhoneKey } from './search-phone.js';
import { type SearchPlan, type SearchTerm, parseFields, parseTerm, planSearch, searchableFields } from './search-plan.js';
import type { SearchItem } from './search-render.js';
import type {
  CursorPage,
  DealSearchRequest,
  FieldSearchCursorRequest,
  FieldSearchRequest,
  ItemSearchCursorRequest,
  ItemSearchRequest,
  OffsetPage,
  OffsetSearchRequest,
  OrganizationSearchRequest,
  PersonOffsetSearchRequest,
  PersonSearchRequest,
} from './search-requests.js';
import { type Hit, type Narrowing, START, TierCollector } from './tier-collector.js';

export type { CursorPage } from './search-requests.js';

const PERSON_INCLUDE_FIELDS = ['person.picture'];
const ITEM_TYPES = ['deal', 'person', 'organization', 'product', 'lead', 'file', 'mail_attachment', 'project'];
const ITEM_FIELDS = ['address', 'code', 'custom_fields', 'email', 'name', 'notes', 'phone', 'title', 'description'];
const ITEM_INCLUDE_FIELDS = ['deal.cc_email', 'person.picture', 'product.price'];
const DEAL_SEARCH_STATUSES = ['open', 'won', 'lost'];

/**
 * Person and organization search. Results are ranked in tiers (see search-plan.ts) and each tier is read from the
 * index in id order, so a page costs the rows it returns plus the few the index could not rule out itself, however
 * many rows match in all.
 */
export class SearchService {
  private readonly collector: TierCollector;
  private readonly cursors: SearchCursors;
  private readonly renderer: SearchPageRenderer;
  private readonly fields: FieldSearch;

  constructor(
    private readonly db: Kysely<Database>,
    cursors: CursorCodec,
    fieldsOf: SearchableFieldsOf = searchableCustomFields,
    /** The region a company's national phone numbers are read in (identity settings). */
    private readonly regionOf: (companyId: number) => Promise<Region | undefined> = async () => undefined,
  ) {
    this.collector = new TierCollector(db);
    this.cursors = new SearchCursors(cursors);
    this.renderer = new SearchPageRenderer(db, fieldsOf);
    this.fields = new FieldSearch(db, this.collector, this.cursors, fieldsOf);
  }

  /** A phone-like term, with its E.164 form in the company's region to look for beside its digits. */
  private async phoneAware(actor: Actor, term: SearchTerm): Promise<SearchTerm> {
    return term.digits === null ? term : withPhoneKey(term, await this.regionOf(actor.companyId));
  }

  /** GET /api/v2/persons/search */
  async searchPersons(actor: Actor, request: PersonSearchRequest): Promise<CursorPage<SearchItem>> {
    const includePicture = includeFields(request.includeFields, PERSON_INCLUDE_FIELDS).has('person.picture');
    const fields = searchableFields('person').filter((f) => f !== 'address');
    return this.searchOneKind(actor, 'person', request, fields, includePicture);
  }

  /** GET /v1/persons/search: the same search as v2's, paged by offset (reads `start + limit` hits, as v1 item search does). */
  async searchPersonsByOffset(actor: Actor, request: PersonOffsetSearchRequest): Promise<OffsetPage<SearchItem>> {
    const includePicture = includeFields(request.includeFields, PERSON_INCLUDE_FIELDS).has('person.picture');
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const fields = parseFields(request.fields, searchableFields('person').filter((f) => f !== 'address'));
    const plan = planSearch('person', term, fields, exactMatch);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const viewer = await viewerOf(this.db, actor);
    const want = start + limit + 1;
    const hits =
      request.organizationId === undefined
        ? await this.collector.collect(actor.companyId, plan, START, want, viewer)
        : await this.collector.collectInOrganization(actor.companyId, plan, request.organizationId, START, want, viewer);
    const page = hits.slice(start, start + limit);
    return { items: await this.renderer.renderItems(actor.companyId, page, term, fields, includePicture, viewer), start, limit, more: hits.length > start + limit };
  }

  /** GET /api/v2/organizations/search */
  async searchOrganizations(actor: Actor, request: OrganizationSearchRequest): Promise<CursorPage<SearchItem>> {
    return this.searchOneKind(actor, 'organization', request, searchableFields('organization'), false);
  }

  /** GET /api/v2/deals/search: deals by title, optionally only those of a person, an organization or a status. */
  async searchDeals(actor: Actor, request: DealSearchRequest): Promise<CursorPage<SearchItem>> {
    includeFields(request.includeFields, ['deal.cc_email']);
    if (request.status !== undefined && !DEAL_SEARCH_STATUSES.includes(request.status)) {
      throw invalid(`status: "${request.status}" is not one of ${DEAL_SEARCH_STATUSES.join(', ')}`);
    }
    const filter = { personId: request.personId, orgId: request.organizationId, status: request.status };
    const filtered = Object.values(filter).some((v) => v !== undefined);
    const narrow: Narrowing | undefined = filtered ? (ids) => dealIdsMatching(this.db, actor.companyId, ids, filter) : undefined;
    const filterKey = filtered ? `${filter.personId ?? ''}/${filter.orgId ?? ''}/${filter.status ?? ''}` : undefined;
    return this.searchOneKind(actor, 'deal', request, searchableFields('deal'), false, { narrow, filterKey });
  }

  /** GET /v1/organizations/search: v2's organization search, paged by offset. */
  async searchOrganizationsByOffset(actor: Actor, request: OffsetSearchRequest): Promise<OffsetPage<SearchItem>> {
    return this.searchOneKindByOffset(actor, 'organization', request, searchableFields('organization'));
  }

  /** GET /v1/deals/search: v2's deal search (with its person, organization and status filters), paged by offset. */
  async searchDealsByOffset(actor: Actor, request: OffsetSearchRequest & Omit<DealSearchRequest, 'cursor'>): Promise<OffsetPage<SearchItem>> {
    includeFields(request.includeFields, ['deal.cc_email']);
    if (request.status !== undefined && !DEAL_SEARCH_STATUSES.includes(request.status)) {
      throw invalid(`status: "${request.status}" is not one of ${DEAL_SEARCH_STATUSES.join(', ')}`);
    }
    const filter = { personId: request.personId, orgId: request.organizationId, status: request.status };
    const narrow: Narrowing | undefined = Object.values(filter).some((v) => v !== undefined) ? (ids) => dealIdsMatching(this.db, actor.companyId, ids, filter) : undefined;
    return this.searchOneKindByOffset(actor, 'deal', request, searchableFields('deal'), narrow);
  }

  /** One kind of item by offset: reads `start + limit + 1` hits, as v1 item search does. */
  private async searchOneKindByOffset(actor: Actor, entity: SearchEntity, request: OffsetSearchRequest, allowedFields: string[], narrow?: Narrowing): Promise<OffsetPage<SearchItem>> {
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const fields = parseFields(request.fields, allowedFields);
    const plan = planSearch(entity, term, fields, exactMatch);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const viewer = await viewerOf(this.db, actor);
    const hits = await this.collector.collect(actor.companyId, plan, START, start + limit + 1, viewer, narrow);
    const page = hits.slice(start, start + limit);
    return { items: await this.renderer.renderItems(actor.companyId, page, term, fields, false, viewer), start, limit, more: hits.length > start + limit };
  }

  /** One kind of item, best tier first, paged by a cursor bound to the search (and filters) it was issued for. */
  private async searchOneKind(
    actor: Actor,
    entity: SearchEntity,
    request: OrganizationSearchRequest & { organizationId?: number },
    allowedFields: string[],
    includePicture: boolean,
    filters: { narrow?: Narrowing; filterKey?: string } = {},
  ): Promise<CursorPage<SearchItem>> {
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const fields = parseFields(request.fields, allowedFields);
    const plan = planSearch(entity, term, fields, exactMatch);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const scope = filters.filterKey ?? request.organizationId ?? null;
    const fingerprint = queryFingerprint([entity, term.text, term.digits, fields ?? null, exactMatch, scope]);
    const from = request.cursor === undefined ? START : this.cursors.decodePosition(request.cursor, fingerprint, plan);
    const viewer = await viewerOf(this.db, actor);
    const hits =
      entity !== 'person' || request.organizationId === undefined
        ? await this.collector.collect(actor.companyId, plan, from, limit + 1, viewer, filters.narrow)
        : await this.collector.collectInOrganization(actor.companyId, plan, request.organizationId, from, limit + 1, viewer);
    const page = hits.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = hits.length > limit ? this.cursors.encodePosition(last, fingerprint) : null;
    return { items: await this.renderer.renderItems(actor.companyId, page, term, fields, includePicture, viewer), nextCursor };
  }

  /** GET /v1/itemSearch: persons and organizations, merged by score, paged by offset. */
  async itemSearch(actor: Actor, request: ItemSearchRequest): Promise<OffsetPage<SearchItem>> {
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const types = request.itemTypes === undefined ? ITEM_TYPES : parseList('item_types', request.itemTypes, ITEM_TYPES);
    const fields = parseFields(request.fields, ITEM_FIELDS);
    const includePicture = includeFields(request.includeFields, ITEM_INCLUDE_FIELDS).has('person.picture');
    if (request.searchForRelatedItems === true) throw relatedItemsUnsupported();
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const want = start + limit + 1;
    const hits: Hit[] = [];
    const viewer = await viewerOf(this.db, actor);
    for (const plan of itemPlans(term, types, fields, exactMatch)) hits.push(...(await this.collector.collect(actor.companyId, plan, START, want, viewer)));
    hits.sort(compareMerged);
    const page = hits.slice(start, start + limit);
    return { items: await this.renderer.renderItems(actor.companyId, page, term, fields, includePicture, viewer), start, limit, more: hits.length > start + limit };
  }

  /**
   * GET /api/v2/itemSearch: the same search, paged by cursor. Each entity is read from where the previous page's
   * last item leaves it in the merged order (see merged-order.ts), so a page costs at most `limit + 1` hits per
   * entity however deep it is.
   */
  async itemSearchByCursor(actor: Actor, request: ItemSearchCursorRequest): Promise<CursorPage<SearchItem>> {
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const types = request.itemTypes === undefined ? ITEM_TYPES : parseList('item_types', request.itemTypes, ITEM_TYPES);
    const fields = parseFields(request.fields, ITEM_FIELDS);
    const includePicture = includeFields(request.includeFields, ITEM_INCLUDE_FIELDS).has('person.picture');
    if (request.searchForRelatedItems === true) throw relatedItemsUnsupported();
    const limit = request.limit ?? DEFAULT_LIMIT;
    const fingerprint = queryFingerprint(['items', term.text, term.digits, [...new Set(types)].sort(), fields?.slice().sort() ?? null, exactMatch]);
    const last = request.cursor === undefined ? undefined : this.cursors.decodeItem(request.cursor, fingerprint);
    const viewer = await viewerOf(this.db, actor);
    const hits: Hit[] = [];
    for (const plan of itemPlans(term, types, fields, exactMatch)) {
      const from = last === undefined ? START : resumeAfter(plan, last);
      hits.push(...(await this.collector.collect(actor.companyId, plan, from, limit + 1, viewer)));
    }
    hits.sort(compareMerged);
    const page = hits.slice(0, limit);
    const end = page[page.length - 1];
    const nextCursor =
      hits.length > limit ? this.cursors.encodeItem(end, fingerprint) : null;
    return { items: await this.renderer.renderItems(actor.companyId, page, term, fields, includePicture, viewer), nextCursor };
  }

  /** GET /api/v2/itemSearch/field */
  fieldSearchByCursor(actor: Actor, request: FieldSearchCursorRequest): Promise<CursorPage<Record<string, unknown>>> {
    return this.fields.fieldSearchByCursor(actor, request);
  }

  /** GET /v1/itemSearch/field */
  fieldSearch(actor: Actor, request: FieldSearchRequest): Promise<OffsetPage<Record<string, unknown>>> {
    return this.fields.fieldSearch(actor, request);
  }
}

/** The plan of each entity item search looks in: of the types asked for, those with a searched field. */
function itemPlans(term: SearchTerm, types: readonly string[], fields: string[] | undefined, exactMatch: boolean): SearchPlan[] {
  const plans: SearchPlan[] = [];
  for (const entity of ENTITY_ORDER) {
    if (!types.includes(entity)) continue;
    const own = searchableFields(entity);
    const entityFields = fields?.filter((f) => own.includes(f));
    if (entityFields?.length === 0) continue;
    plans.push(planSearch(entity, term, entityFields, exactMatch));
  }
  return plans;
}

function relatedItemsUnsupported() {
  return invalid('search_for_related_items is not supported by personsd yet', 'Search without it; related deals and persons can be listed with GET /api/v2/deals and /api/v2/persons filtered by person or organization.');
}

function includeFields(requested: string[] | undefined, allowed: string[]): Set<string> {
  return new Set(requested === undefined ? [] : parseList('include_fields', requested, allowed));
}

function parseList(name: string, values: string[], allowed: string[]): string[] {
  for (const value of values) {
    if (!allowed.includes(value)) throw invalid(`${name}: unknown value "${value}"`, `Allowed: ${allowed.join(', ')}.`);
  }
  return values;
}
