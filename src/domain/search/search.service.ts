import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
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
import { type SearchItem, organizationItem, personItem } from './search-render.js';
import { phoneDigits } from './search-text.js';
import { withPhoneKey } from './search-phone.js';
import type { Region } from '../identity/contact-keys.js';
import { viewerOf } from '../access/visibility.js';
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
const TABLE_OF = { person: 'persons', organization: 'organizations' } as const satisfies Record<SearchEntity, OwnedTable>;
const PERSON_INCLUDE_FIELDS = ['person.picture'];
const ITEM_TYPES = ['deal', 'person', 'organization', 'product', 'lead', 'file', 'mail_attachment', 'project'];
const ITEM_FIELDS = ['address', 'code', 'custom_fields', 'email', 'name', 'notes', 'phone', 'title', 'description'];

export interface PersonSearchRequest {
  term: string;
  fields?: string[];
  exactMatch?: boolean;
  organizationId?: number;
  includeFields?: string[];
  limit?: number;
  cursor?: string;
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
  async searchPersons(actor: Actor, request: PersonSearchRequest): Promise<{ items: SearchItem[]; nextCursor: string | null }> {
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const fields = parseFields(request.fields, searchableFields('person').filter((f) => f !== 'address'));
    const includePicture = includeFields(request.includeFields, PERSON_INCLUDE_FIELDS).has('person.picture');
    const plan = planSearch('person', term, fields, exactMatch);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const fingerprint = queryFingerprint(['person', term.text, term.digits, fields ?? null, exactMatch, request.organizationId ?? null]);
    const from = request.cursor === undefined ? START : this.decodeCursor(request.cursor, fingerprint, plan);
    const viewer = await viewerOf(this.db, actor);
    const hits =
      request.organizationId === undefined
        ? await this.collect(actor.companyId, plan, from, limit + 1, viewer)
        : await this.collectInOrganization(actor.companyId, plan, request.organizationId, from, limit + 1, viewer);
    const page = hits.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = hits.length > limit ? this.cursors.encode({ field: 'search', direction: 'asc', value: `${last.tier}.${fingerprint}`, id: last.id }) : null;
    return { items: await this.render(actor.companyId, page, term, fields, includePicture, viewer), nextCursor };
  }

  /** GET /v1/itemSearch: persons and organizations, merged by score, paged by offset. */
  async itemSearch(actor: Actor, request: ItemSearchRequest): Promise<OffsetPage<SearchItem>> {
    const exactMatch = request.exactMatch === true;
    const term = await this.phoneAware(actor, parseTerm(request.term, exactMatch));
    const types = request.itemTypes === undefined ? ITEM_TYPES : parseList('item_types', request.itemTypes, ITEM_TYPES);
    const fields = parseFields(request.fields, ITEM_FIELDS);
    const includePicture = includeFields(request.includeFields, ['deal.cc_email', 'person.picture', 'product.price']).has('person.picture');
    if (request.searchForRelatedItems === true) {
      throw invalid('search_for_related_items is not supported by personsd yet', 'personsd searches persons and organizations only.');
    }
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const want = start + limit + 1;
    const hits: Hit[] = [];
    const viewer = await viewerOf(this.db, actor);
    for (const entity of ['person', 'organization'] as const) {
      if (!types.includes(entity)) continue;
      const own = searchableFields(entity);
      const entityFields = fields?.filter((f) => own.includes(f));
      if (entityFields?.length === 0) continue;
      hits.push(...(await this.collect(actor.companyId, planSearch(entity, term, entityFields, exactMatch), START, want, viewer)));
    }
    hits.sort((a, b) => b.score - a.score || (a.entity === b.entity ? a.id - b.id : a.entity === 'person' ? -1 : 1));
    const page = hits.slice(start, start + limit);
    return { items: await this.render(actor.companyId, page, term, fields, includePicture, viewer), start, limit, more: hits.length > start + limit };
  }

  /**
   * GET /v1/itemSearch/field: the values of one field (or the items holding them) that contain the term, or equal
   * it with exact_match. Unlike the full search this one is case sensitive, as Pipedrive documents it; the index
   * finds the candidates and the comparison runs on the stored values.
   */
  async fieldSearch(actor: Actor, request: FieldSearchRequest): Promise<OffsetPage<Record<string, unknown>>> {
    const exactMatch = request.exactMatch === true;
    const term = parseTerm(request.term, exactMatch);
    const entity = FIELD_TYPES[request.fieldType];
    if (entity === undefined) {
      throw invalid(`field_type "${request.fieldType}" is not searchable in personsd`, 'Search personField or organizationField.');
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
        const value = field.values(row).find((v) => field.matches(v, term, exactMatch));
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

  /** Up to `want` hits from `from` on, tier by tier, each tier in id order. */
  private async collect(companyId: number, plan: SearchPlan, from: Position, want: number, viewer: RecordViewer): Promise<Hit[]> {
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
          const hidden = await this.hiddenRows(companyId, plan, run.rows, viewer);
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
      // Records the caller may not see are no hits; dropping them here, not at render, keeps pages full.
      const hidden = await this.hiddenRows(companyId, plan, rows, viewer);
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

  /** The candidates the viewer may not see (none for viewers who see everything). */
  private async hiddenRows(companyId: number, plan: SearchPlan, rows: readonly SearchDocRow[], viewer: RecordViewer): Promise<Set<number>> {
    if (viewer.everything || rows.length === 0) return new Set();
    const visible = await visibleIds(this.db, TABLE_OF[plan.entity], companyId, rows.map((r) => r.id), viewer);
    return new Set(rows.filter((r) => !visible.has(r.id)).map((r) => r.id));
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

  private decodeCursor(cursor: string, fingerprint: string, plan: SearchPlan): Position {
    let position;
    try {
      position = this.cursors.decode(cursor, 'search', 'asc');
    } catch (err) {
      if (err instanceof DomainError) throw invalid('cursor is not valid', 'Use the next_cursor value of a previous response unchanged.');
      throw err;
    }
    const [tier, issuedFor] = String(position.value).split('.');
    if (issuedFor !== fingerprint) {
      throw invalid('cursor was issued for another search', 'Send the same term, fields, exact_match and organization_id as the request that returned it.');
    }
    const tierIndex = Number(tier);
    if (!Number.isInteger(tierIndex) || tierIndex < 0 || tierIndex >= plan.tiers.length) throw invalid('cursor is not valid');
    return { tier: tierIndex, id: position.id };
  }

  private async rowsById(companyId: number, entity: SearchEntity, ids: number[]): Promise<Map<number, { [key: string]: unknown }>> {
    const rows = entity === 'person' ? await livePersons(this.db, companyId, ids) : await liveOrganizations(this.db, companyId, ids);
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

  /** The field a field search looks in: where its values are indexed, how to read them, how they match. */
  private async searchedField(companyId: number, entity: SearchEntity, key: string): Promise<SearchedField> {
    const known = entity === 'person' ? PERSON_FIELDS[key] : ORGANIZATION_FIELDS[key];
    if (known) return known;
    const custom = entity === 'person' ? (await this.fieldsOf(this.db, companyId)).find((f) => f.key === key) : undefined;
    if (!custom) {
      const keys = Object.keys(entity === 'person' ? PERSON_FIELDS : ORGANIZATION_FIELDS).join(', ');
      throw invalid(`field_key "${key}" is not a searchable field of ${entity === 'person' ? 'persons' : 'organizations'}`, `Searchable: ${keys}, and custom fields of types address, varchar, text, varchar_auto, double, monetary and phone.`);
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
  matches(value: string, term: SearchTerm, exact: boolean): boolean;
}

const FIELD_TYPES: Record<string, SearchEntity | undefined> = { personField: 'person', organizationField: 'organization' };
const textMatches = (value: string, term: SearchTerm, exact: boolean) => (exact ? value === term.raw : value.includes(term.raw));
const phoneMatches = (value: string, term: SearchTerm, exact: boolean) => {
  if (term.digits === null) return textMatches(value, term, exact);
  const digits = phoneDigits(value);
  return exact ? digits === term.digits : digits.includes(term.digits);
};
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
