import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  liveDeals,
  liveOrganizations,
  livePersons,
  loadSearchDocs,
  organizationPersonIds,
  type CandidateMemo,
  tierCandidates,
  tierRunCandidates,
} from '../../store/repositories/search.repository.js';
import type { SearchDoc, SearchDocRow, SearchEntity } from '../../store/search/search-match.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { DomainError, invalid } from '../errors.js';
import { DEFAULT_LIMIT } from '../paging.js';
import { customTexts } from './search-docs.js';
import { type SearchableFieldsOf, searchableCustomFields } from './search-index.js';
import { type SearchPlan, type SearchTerm, parseFields, parseTerm, planSearch, searchableFields, tierOf } from './search-plan.js';
import { type SearchItem, dealItem, organizationItem, personItem } from './search-render.js';
import { ENTITY_ORDER, type MergedKey, compareMerged, resumeAfter } from './merged-order.js';
import { phoneDigits } from './search-text.js';
import { withPhoneKey } from './search-phone.js';
import type { Region } from '../normalize/contact-keys.js';
import { viewerOf } from '../access/visibility.js';
import { dealIdsMatching } from '../../store/repositories/deals.repository.js';
import { type OwnedTable, type RecordViewer, visibleIds } from '../../store/record-visibility.js';

/** One found row: the tier it is in (its rank) and its indexed text. */
interface Hit {
  entity: SearchEntity;
  tier: number;
  score: number;
  id: number;
  doc: SearchDoc;
}

/** Where a page ends: the tier and id of its last hit. */
interface Position {
  tier: number;
  id: number;
}

const START: Position = { tier: 0, id: 0 };
const MIN_BATCH = 50;
/** Pipedrive's documented cap on the persons considered when searching within an organization. */
const MAX_ORGANIZATION_PERSONS = 2000;
/** Which of these candidate ids a search's filters keep (deal search by person, organization, status). */
type Narrowing = (ids: number[]) => Promise<Set<number>>;

const TABLE_OF = { person: 'persons', organization: 'organizations', deal: 'deals' } as const satisfies Record<SearchEntity, OwnedTable>;
const PERSON_INCLUDE_FIELDS = ['person.picture'];
const ITEM_TYPES = ['deal', 'person', 'organization', 'product', 'lead', 'file', 'mail_attachment', 'project'];
const ITEM_FIELDS = ['address', 'code', 'custom_fields', 'email', 'name', 'notes', 'phone', 'title', 'description'];
const ITEM_INCLUDE_FIELDS = ['deal.cc_email', 'person.picture', 'product.price'];
/** v2 field search's entity types; personsd stores no leads, products or projects, so those find nothing. */
const ENTITY_TYPES: Record<string, SearchEntity | null> = { person: 'person', organization: 'organization', deal: 'deal', lead: null, product: null, project: null };
/** Field search reads the index in batches of this many hits, keeping those whose stored value matches. */
const FIELD_BATCH = 200;

export interface OrganizationSearchRequest {
  term: string;
  fields?: string[];
  exactMatch?: boolean;
  limit?: number;
  cursor?: string;
}

export interface DealSearchRequest extends OrganizationSearchRequest {
  personId?: number;
  organizationId?: number;
  status?: string;
  includeFields?: string[];
}

const DEAL_SEARCH_STATUSES = ['open', 'won', 'lost'];

export interface PersonSearchRequest extends OrganizationSearchRequest {
  organizationId?: number;
  includeFields?: string[];
}

export interface ItemSearchRequest {
  term: string;
  itemTypes?: string[];
  fields?: string[];
  exactMatch?: boolean;
  includeFields?: string[];
  searchForRelatedItems?: boolean;
  start?: number;
  limit?: number;
}

export interface FieldSearchRequest {
  term: string;
  fieldType: string;
  fieldKey: string;
  exactMatch?: boolean;
  returnItemIds?: boolean;
  start?: number;
  limit?: number;
}

/** GET /api/v2/itemSearch: itemSearch's filters, paged by cursor. */
export interface ItemSearchCursorRequest extends Omit<ItemSearchRequest, 'start'> {
  cursor?: string;
}

/** How a field search compares a stored value with the term, case-sensitively: equal, starting with it, containing it. */
export type FieldMatch = 'exact' | 'beginning' | 'middle';

/** GET /api/v2/itemSearch/field */
export interface FieldSearchCursorRequest {
  term: string;
  entityType: string;
  field: string;
  match?: FieldMatch;
  limit?: number;
  cursor?: string;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OffsetPage<T> {
  items: T[];
  start: number;
  limit: number;
  more: boolean;
}

/**
 * Person and organization search. Results are ranked in tiers (see search-plan.ts) and each tier is read from the
 * index in id order, so a page costs the rows it returns plus the few the index could not rule out itself, however
 * many rows match in all.
 */
export class SearchService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    private readonly fieldsOf: SearchableFieldsOf = searchableCustomFields,
    /** The region a company's national phone numbers are read in (identity settings). */
    private readonly regionOf: (companyId: number) => Promise<Region | undefined> = async () => undefined,
  ) {}

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
    const from = request.cursor === undefined ? START : this.decodeCursor(request.cursor, fingerprint, plan);
    const viewer = await viewerOf(this.db, actor);
    const hits =
      entity !== 'person' || request.organizationId === undefined
        ? await this.collect(actor.companyId, plan, from, limit + 1, viewer, filters.narrow)
        : await this.collectInOrganization(actor.companyId, plan, request.organizationId, from, limit + 1, viewer);
    const page = hits.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = hits.length > limit ? this.cursors.encode({ field: 'search', direction: 'asc', value: `${last.tier}.${fingerprint}`, id: last.id }) : null;
    return { items: await this.renderItems(actor.companyId, page, term, fields, includePicture, viewer), nextCursor };
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
    for (const plan of itemPlans(term, types, fields, exactMatch)) hits.push(...(await this.collect(actor.companyId, plan, START, want, viewer)));
    hits.sort(compareMerged);
    const page = hits.slice(start, start + limit);
    return { items: await this.renderItems(actor.companyId, page, term, fields, includePicture, viewer), start, limit, more: hits.length > start + limit };
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
    const last = request.cursor === undefined ? undefined : this.decodeItemCursor(request.cursor, fingerprint);
    const viewer = await viewerOf(this.db, actor);
    const hits: Hit[] = [];
    for (const plan of itemPlans(term, types, fields, exactMatch)) {
      const from = last === undefined ? START : resumeAfter(plan, last);
      hits.push(...(await this.collect(actor.companyId, plan, from, limit + 1, viewer)));
    }
    hits.sort(compareMerged);
    const page = hits.slice(0, limit);
    const end = page[page.length - 1];
    const nextCursor =
      hits.length > limit ? this.cursors.encode({ field: 'itemSearch', direction: 'asc', value: `${fingerprint}:${end.entity}:${end.score}`, id: end.id }) : null;
    return { items: await this.renderItems(actor.companyId, page, term, fields, includePicture, viewer), nextCursor };
  }

  /**
   * GET /api/v2/itemSearch/field: the items whose value of one field equals the term, starts with it or contains
   * it (`match`), each as `{id, <field>: value}`, case-sensitively as Pipedrive documents it; paged by cursor. The
   * index finds the candidates in rank order (tier, then id) and the comparison runs on the stored values.
   */
  async fieldSearchByCursor(actor: Actor, request: FieldSearchCursorRequest): Promise<CursorPage<Record<string, unknown>>> {
    const match = request.match ?? 'exact';
    const term = parseTerm(request.term, match === 'exact', 'match=exact');
    if (!Object.hasOwn(ENTITY_TYPES, request.entityType)) {
      throw invalid(`entity_type "${request.entityType}" is not valid`, `Allowed: ${Object.keys(ENTITY_TYPES).join(', ')}.`);
    }
    const entity = ENTITY_TYPES[request.entityType];
    if (entity === null) return { items: [], nextCursor: null };
    const field = await this.searchedField(actor.companyId, entity, request.field, 'field');
    const plan = planSearch(entity, term, [field.searchField], match === 'exact');
    const limit = request.limit ?? DEFAULT_LIMIT;
    const fingerprint = queryFingerprint(['field', entity, request.field, term.raw, match]);
    const hint = 'Send the same term, entity_type, field and match as the request that returned it.';
    let from: Position = request.cursor === undefined ? START : this.decodeCursor(request.cursor, fingerprint, plan, hint);
    const viewer = await viewerOf(this.db, actor);
    const found: Array<{ at: Position; item: Record<string, unknown> }> = [];
    while (found.length <= limit) {
      const hits = await this.collect(actor.companyId, plan, from, FIELD_BATCH, viewer);
      if (hits.length === 0) break;
      from = hits[hits.length - 1];
      const rows = await this.rowsById(actor.companyId, entity, hits.map((h) => h.id));
      for (const hit of hits) {
        const row = rows.get(hit.id);
        const value = row && field.values(row).find((v) => field.matches(v, term, match));
        if (value !== undefined) found.push({ at: hit, item: { id: hit.id, [request.field]: value } });
      }
      if (hits.length < FIELD_BATCH) break;
    }
    const end = found[limit - 1]?.at;
    const nextCursor = found.length > limit ? this.cursors.encode({ field: 'search', direction: 'asc', value: `${end.tier}.${fingerprint}`, id: end.id }) : null;
    return { items: found.slice(0, limit).map((f) => f.item), nextCursor };
  }

  /**
   * GET /v1/itemSearch/field: the values of one field (or the items holding them) that contain the term, or equal
   * it with exact_match. Unlike the full search this one is case sensitive, as Pipedrive documents it; the index
   * finds the candidates and the comparison runs on the stored values.
   */
  async fieldSearch(actor: Actor, request: FieldSearchRequest): Promise<OffsetPage<Record<string, unknown>>> {
    const exactMatch = request.exactMatch === true;
    const term = parseTerm(request.term, exactMatch);
    const entity = own(FIELD_TYPES, request.fieldType);
    if (entity === undefined) {
      throw invalid(`field_type "${request.fieldType}" is not searchable in personsd`, 'Search personField, organizationField or dealField.');
    }
    const field = await this.searchedField(actor.companyId, entity, request.fieldKey);
    const plan = planSearch(entity, term, [field.searchField], exactMatch);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const found: Record<string, unknown>[] = [];
    const seenValues = new Set<string>();
    let from = START;
    const viewer = await viewerOf(this.db, actor);
    while (found.length <= start + limit) {
      const hits = await this.collect(actor.companyId, plan, from, 200, viewer);
      if (hits.length === 0) break;
      from = hits[hits.length - 1];
      const rows = await this.rowsById(actor.companyId, entity, hits.map((h) => h.id));
      for (const hit of hits) {
        const row = rows.get(hit.id);
        if (!row) continue;
        const value = field.values(row).find((v) => field.matches(v, term, exactMatch ? 'exact' : 'middle'));
        if (value === undefined) continue;
        if (request.returnItemIds === true) found.push({ id: hit.id, [request.fieldKey]: value });
        else if (!seenValues.has(value)) {
          seenValues.add(value);
          found.push({ [request.fieldKey]: value });
        }
      }
      if (hits.length < 200) break;
    }
    return { items: found.slice(start, start + limit), start, limit, more: found.length > start + limit };
  }

  /** Up to `want` hits from `from` on, tier by tier, each tier in id order; only rows `narrow` keeps, when given. */
  private async collect(companyId: number, plan: SearchPlan, from: Position, want: number, viewer: RecordViewer, narrow?: Narrowing): Promise<Hit[]> {
    const hits: Hit[] = [];
    const search = { entity: plan.entity, tiers: plan.tiers.map((t) => t.matches) };
    const hit = (row: SearchDocRow, rowTier: number): Hit => ({ entity: plan.entity, tier: rowTier, score: plan.tiers[rowTier].score, id: row.id, doc: row.doc });
    let tier = from.tier;
    let afterId = from.id;
    let runsTriedThrough = -1;
    const memo: CandidateMemo = new Map();
    while (tier < plan.tiers.length && hits.length < want) {
      const batch = want - hits.length;
      if (afterId === 0 && tier > runsTriedThrough) {
        const run = await tierRunCandidates(this.db, search, companyId, tier, batch);
        // A run with too many candidates is not read again from a later tier of it; those go one tier at a time.
        if (run) runsTriedThrough = run.through;
        if (run?.complete) {
          // Every candidate of several tiers at once: each goes to the tier it belongs to, in rank order.
          const hidden = await this.droppedRows(companyId, plan, run.rows, viewer, narrow);
          const found = run.rows
            .filter((row) => !hidden.has(row.id))
            .map((row) => ({ row, rowTier: tierOf(plan, row.doc) }))
            .filter((f) => f.rowTier >= tier && f.rowTier <= run.through);
          found.sort((a, b) => a.rowTier - b.rowTier || a.row.id - b.row.id);
          hits.push(...found.map((f) => hit(f.row, f.rowTier)));
          tier = run.through + 1;
          continue;
        }
      }
      // Never fewer than MIN_BATCH: a tier read through a superset of its rows (several-word terms) would otherwise
      // be read again and again for the last few hits of a page.
      const read = Math.max(batch, MIN_BATCH);
      const rows = await tierCandidates(this.db, search, companyId, tier, afterId, read, memo);
      // Records the caller may not see (or a filter leaves out) are no hits; dropping them here, not at render, keeps pages full.
      const hidden = await this.droppedRows(companyId, plan, rows, viewer, narrow);
      // The index rules out most rows of earlier tiers; this drops the rest, so each row appears once.
      for (const row of rows) if (!hidden.has(row.id) && tierOf(plan, row.doc) === tier) hits.push(hit(row, tier));
      if (rows.length < read) {
        tier += 1;
        afterId = 0;
      } else {
        afterId = rows[rows.length - 1].id;
      }
    }
    return hits.slice(0, want);
  }

  /** The candidates the viewer may not see, and those `narrow` leaves out. */
  private async droppedRows(companyId: number, plan: SearchPlan, rows: readonly SearchDocRow[], viewer: RecordViewer, narrow?: Narrowing): Promise<Set<number>> {
    if ((viewer.everything && narrow === undefined) || rows.length === 0) return new Set();
    let kept = rows.map((r) => r.id);
    if (!viewer.everything) kept = [...(await visibleIds(this.db, TABLE_OF[plan.entity], companyId, kept, viewer))];
    if (narrow !== undefined && kept.length > 0) kept = [...(await narrow(kept))];
    const keep = new Set(kept);
    return new Set(rows.filter((r) => !keep.has(r.id)).map((r) => r.id));
  }

  /** Within an organization: its persons (at most 2,000, as Pipedrive) ranked in code. */
  private async collectInOrganization(companyId: number, plan: SearchPlan, organizationId: number, from: Position, want: number, viewer: RecordViewer): Promise<Hit[]> {
    // An organization the caller may not see is searched like one that does not exist: no hits.
    if (!(await visibleIds(this.db, 'organizations', companyId, [organizationId], viewer)).has(organizationId)) return [];
    let ids = await organizationPersonIds(this.db, companyId, organizationId, MAX_ORGANIZATION_PERSONS);
    if (!viewer.everything) {
      const visible = await visibleIds(this.db, 'persons', companyId, ids, viewer);
      ids = ids.filter((id) => visible.has(id));
    }
    const hits: Hit[] = [];
    for (const row of await loadSearchDocs(this.db, 'person', companyId, ids)) {
      const tier = tierOf(plan, row.doc);
      if (tier < 0 || tier < from.tier || (tier === from.tier && row.id <= from.id)) continue;
      hits.push({ entity: 'person', tier, score: plan.tiers[tier].score, id: row.id, doc: row.doc });
    }
    return hits.sort((a, b) => a.tier - b.tier || a.id - b.id).slice(0, want);
  }

  private decodeCursor(
    cursor: string,
    fingerprint: string,
    plan: SearchPlan,
    hint = 'Send the same term, fields, exact_match and organization_id as the request that returned it.',
  ): Position {
    let position;
    try {
      position = this.cursors.decode(cursor, 'search', 'asc');
    } catch (err) {
      if (err instanceof DomainError) throw invalid('cursor is not valid', 'Use the next_cursor value of a previous response unchanged.');
      throw err;
    }
    const [tier, issuedFor] = String(position.value).split('.');
    if (issuedFor !== fingerprint) {
      throw invalid('cursor was issued for another search', hint);
    }
    const tierIndex = Number(tier);
    if (!Number.isInteger(tierIndex) || tierIndex < 0 || tierIndex >= plan.tiers.length) throw invalid('cursor is not valid');
    return { tier: tierIndex, id: position.id };
  }

  /** An item search cursor: the merged-order key of the last item of the page that issued it. */
  private decodeItemCursor(cursor: string, fingerprint: string): MergedKey {
    let position;
    try {
      position = this.cursors.decode(cursor, 'itemSearch', 'asc');
    } catch (err) {
      if (err instanceof DomainError) throw invalid('cursor is not valid', 'Use the next_cursor value of a previous response unchanged.');
      throw err;
    }
    const [issuedFor, entity, score] = String(position.value).split(':');
    if (issuedFor !== fingerprint) {
      throw invalid('cursor was issued for another search', 'Send the same term, item_types, fields and exact_match as the request that returned it.');
    }
    if (!(ENTITY_ORDER as readonly string[]).includes(entity) || !Number.isFinite(Number(score))) throw invalid('cursor is not valid');
    return { score: Number(score), entity: entity as SearchEntity, id: position.id };
  }

  private async rowsById(companyId: number, entity: SearchEntity, ids: number[]): Promise<Map<number, { [key: string]: unknown }>> {
    const rows =
      entity === 'person'
        ? await livePersons(this.db, companyId, ids)
        : entity === 'organization'
          ? await liveOrganizations(this.db, companyId, ids)
          : await liveDeals(this.db, companyId, ids);
    return new Map(rows.map((r) => [r.id, r as unknown as Record<string, unknown>]));
  }

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
    const customFields = wants('custom_fields') && personIds.length > 0 ? await this.fieldsOf(this.db, companyId) : [];
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
  private async renderItems(
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
    const byId = new Map(deals.map((d) => [d.id, d]));
    return hits.flatMap((hit) => {
      const deal = byId.get(hit.id);
      if (!deal) return [];
      const person = deal.person_id === null ? undefined : persons.get(deal.person_id);
      return [dealItem(deal, person, deal.org_id === null ? undefined : orgs.get(deal.org_id), hit.score)];
    });
  }

  /** The field a field search looks in: where its values are indexed, how to read them, how they match. */
  private async searchedField(companyId: number, entity: SearchEntity, key: string, parameter = 'field_key'): Promise<SearchedField> {
    const known = own(ENTITY_FIELDS[entity], key);
    if (known) return known;
    const custom = entity === 'person' ? (await this.fieldsOf(this.db, companyId)).find((f) => f.key === key) : undefined;
    if (!custom) {
      const keys = Object.keys(ENTITY_FIELDS[entity]).join(', ');
      const customs = entity === 'person' ? ', and custom fields of types address, varchar, text, varchar_auto, double, monetary and phone' : '';
      throw invalid(`${parameter} "${key}" is not a searchable field of ${ENTITY_NAMES[entity]}`, `Searchable: ${keys}${customs}.`);
    }
    return {
      searchField: 'custom_fields',
      values: (row) => customTexts(String(row.custom_fields), [custom]).map((t) => t.text),
      matches: custom.type === 'phone' ? phoneMatches : textMatches,
    };
  }
}

interface SearchedField {
  /** The `fields` name whose index column holds the values. */
  searchField: string;
  values(row: Record<string, unknown>): string[];
  matches(value: string, term: SearchTerm, match: FieldMatch): boolean;
}

const FIELD_TYPES: Record<string, SearchEntity | undefined> = { personField: 'person', organizationField: 'organization', dealField: 'deal' };
const ENTITY_NAMES: Record<SearchEntity, string> = { person: 'persons', organization: 'organizations', deal: 'deals' };
const compared = (value: string, term: string, match: FieldMatch) =>
  match === 'exact' ? value === term : match === 'beginning' ? value.startsWith(term) : value.includes(term);
const textMatches = (value: string, term: SearchTerm, match: FieldMatch) => compared(value, term.raw, match);
const phoneMatches = (value: string, term: SearchTerm, match: FieldMatch) =>
  term.digits === null ? textMatches(value, term, match) : compared(phoneDigits(value), term.digits, match);
const contactValues = (json: unknown) => (JSON.parse(String(json)) as Array<{ value: string }>).map((c) => c.value);
const PERSON_FIELDS: Record<string, SearchedField | undefined> = {
  name: { searchField: 'name', values: (row) => [String(row.name)], matches: textMatches },
  email: { searchField: 'email', values: (row) => contactValues(row.emails), matches: textMatches },
  phone: { searchField: 'phone', values: (row) => contactValues(row.phones), matches: phoneMatches },
  notes: { searchField: 'notes', values: (row) => (row.notes === null ? [] : [String(row.notes)]), matches: textMatches },
};
const ORGANIZATION_FIELDS: Record<string, SearchedField | undefined> = {
  name: { searchField: 'name', values: (row) => [String(row.name)], matches: textMatches },
  address: {
    searchField: 'address',
    values: (row) => {
      const address = row.address === null ? null : (JSON.parse(String(row.address)) as { value?: string | null });
      return address?.value ? [address.value] : [];
    },
    matches: textMatches,
  },
};
const DEAL_FIELDS: Record<string, SearchedField | undefined> = {
  title: { searchField: 'title', values: (row) => [String(row.title)], matches: textMatches },
};
const ENTITY_FIELDS: Record<SearchEntity, Record<string, SearchedField | undefined>> = { person: PERSON_FIELDS, organization: ORGANIZATION_FIELDS, deal: DEAL_FIELDS };

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

/** A table's own entry: request text such as `constructor` must not reach Object.prototype. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
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

/** Binds a cursor to the search that issued it, so it cannot silently page through another one. */
function queryFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}
