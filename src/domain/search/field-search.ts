import type { Kysely } from 'kysely';
import { liveDeals } from '../../store/repositories/deals.repository.js';
import { liveOrganizations } from '../../store/repositories/organizations.repository.js';
import { livePersons } from '../../store/repositories/persons.repository.js';
import type { SearchEntity } from '../../store/search/search-match.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { DEFAULT_LIMIT } from '../paging.js';
import { customTexts } from './search-docs.js';
import type { SearchableFieldsOf } from './search-index.js';
import { type SearchCursors, queryFingerprint } from './search-cursors.js';
import { type SearchTerm, parseTerm, planSearch } from './search-plan.js';
import type { CursorPage, FieldMatch, FieldSearchCursorRequest, FieldSearchRequest, OffsetPage } from './search-requests.js';
import { phoneDigits } from './search-text.js';
import { type Position, START, type TierCollector } from './tier-collector.js';

/** v2 field search's entity types; personsd stores no leads, products or projects, so those find nothing. */
const ENTITY_TYPES: Record<string, SearchEntity | null> = { person: 'person', organization: 'organization', deal: 'deal', lead: null, product: null, project: null };
/** Field search reads the index in batches of this many hits, keeping those whose stored value matches. */
const FIELD_BATCH = 200;

/**
 * The values of one field that match a term (v1 itemSearch/field, v2 itemSearch/field): the index finds the
 * candidates in rank order and the comparison runs on the stored values, case-sensitively as Pipedrive documents it.
 */
export class FieldSearch {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly collector: TierCollector,
    private readonly cursors: SearchCursors,
    private readonly fieldsOf: SearchableFieldsOf,
  ) {}

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
    let from: Position = request.cursor === undefined ? START : this.cursors.decodePosition(request.cursor, fingerprint, plan, hint);
    const viewer = await viewerOf(this.db, actor);
    const found: Array<{ at: Position; item: Record<string, unknown> }> = [];
    while (found.length <= limit) {
      const hits = await this.collector.collect(actor.companyId, plan, from, FIELD_BATCH, viewer);
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
    const nextCursor = found.length > limit ? this.cursors.encodePosition(end, fingerprint) : null;
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
      const hits = await this.collector.collect(actor.companyId, plan, from, 200, viewer);
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

  private async rowsById(companyId: number, entity: SearchEntity, ids: number[]): Promise<Map<number, { [key: string]: unknown }>> {
    const rows =
      entity === 'person'
        ? await livePersons(this.db, companyId, ids)
        : entity === 'organization'
          ? await liveOrganizations(this.db, companyId, ids)
          : await liveDeals(this.db, companyId, ids);
    return new Map(rows.map((r) => [r.id, r as unknown as Record<string, unknown>]));
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

/** A table's own entry: request text such as `constructor` must not reach Object.prototype. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

