import type { Kysely } from 'kysely';
import { PERSON_SORT_COLUMNS, type PersonRow } from '../../store/repositories/persons.repository.js';
import { DEAL_SORT_COLUMNS } from '../../store/repositories/deals.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { renderDealV1 } from '../deals/deal-render-v1.js';
import type { DealsService } from '../deals/deals.service.js';
import { forbidden, invalid } from '../errors.js';
import { timestamp } from '../field-rules.js';
import { DEFAULT_LIMIT } from '../paging.js';
import type { FieldsOf } from '../person-fields/remembered-fields.js';
import { personInputFromV1 } from '../person-model/person-input-v1.js';
import { RelatedRefs, loadRelatedObjects } from '../related-objects.js';
import type { SearchService } from '../search/search.service.js';
import type { PersonOffsetSearchRequest } from '../search/search-requests.js';
import { parseV1Sort } from '../v1-sort.js';
import { renderPersonCollectionItem } from './person-render-v1.js';
import { type PersonsV1View, personsV1View } from './person-v1-view.js';
import type { PersonWriteOptions, PersonsService } from './persons.service.js';
import type { PictureUrls } from './picture-render.js';

/** GET /v1/persons filters, as the route read them. */
export interface PersonV1ListRequest {
  start?: number;
  limit?: number;
  userId?: number;
  orgId?: number;
  firstChar?: string;
  sort?: string;
  filterId?: number;
}

export interface OffsetAnswer<T> {
  items: T[];
  start: number;
  limit: number;
  more: boolean;
}

/** GET /v1/persons/collection filters; `since` and `until` bound `update_time`. */
export interface PersonCollectionRequest {
  cursor?: string;
  limit?: number;
  since?: string;
  until?: string;
  ownerId?: number;
  firstChar?: string;
}

type Urls = (personId: number) => PictureUrls;

/** v1's first_char: one character, matched in either case. */
function firstCharsOf(firstChar: string | undefined): string[] | undefined {
  if (firstChar === undefined) return undefined;
  const chars = [...firstChar];
  if (chars.length !== 1) throw invalid(`first_char must be one character; got "${firstChar}"`);
  return [...new Set([chars[0].toLowerCase(), chars[0].toUpperCase()])];
}

/**
 * The v1 persons API as one more view of the same records: v1 bodies are translated to the v2 input and written
 * by the same PersonsService (so history, webhooks, search index, visibility and duplicate rules apply alike), and
 * reads render the stored rows in the v1 shape. Nothing here writes on its own.
 */
export class PersonsV1Service {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly persons: PersonsService,
    private readonly deals: DealsService,
    private readonly searchService: SearchService,
    private readonly fieldsOf: FieldsOf,
  ) {}

  async get(actor: Actor, id: number, urls: Urls): Promise<PersonsV1View> {
    return personsV1View(this.db, actor, [await this.persons.get(actor, id)], urls, this.fieldsOf);
  }

  async create(actor: Actor, body: Record<string, unknown>, options: PersonWriteOptions, urls: Urls): Promise<PersonsV1View & { outcome: 'created' | 'updated'; id: number }> {
    const input = personInputFromV1(body, await this.fieldsOf(this.db, actor));
    const { row, outcome } = await this.persons.createWithOutcome(actor, input, options);
    return { ...(await personsV1View(this.db, actor, [row], urls, this.fieldsOf)), outcome, id: row.id };
  }

  async update(actor: Actor, id: number, body: Record<string, unknown>, options: PersonWriteOptions, urls: Urls): Promise<PersonsV1View> {
    // The person first: an unknown id is a 404 even when the body is also wrong.
    await this.persons.get(actor, id);
    const input = personInputFromV1(body, await this.fieldsOf(this.db, actor));
    return personsV1View(this.db, actor, [await this.persons.update(actor, id, input, options)], urls, this.fieldsOf);
  }

  async list(actor: Actor, request: PersonV1ListRequest, urls: Urls): Promise<OffsetAnswer<Record<string, unknown>> & Pick<PersonsV1View, 'related'>> {
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const { rows, more } = await this.persons.listByOffset(
      actor,
      { ownerId: request.userId, orgId: request.orgId, firstChars: firstCharsOf(request.firstChar) },
      { order: parseV1Sort(request.sort, PERSON_SORT_COLUMNS), start, limit },
      request.filterId,
    );
    const view = await personsV1View(this.db, actor, rows, urls, this.fieldsOf);
    return { items: view.items, related: view.related, start, limit, more };
  }

  /**
   * GET /v1/persons/collection: every person in id order, paged by cursor, in the short collection shape. Pipedrive
   * serves it to global admins only; others get a 403.
   */
  async collection(actor: Actor, request: PersonCollectionRequest): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
    if (!actor.isAdmin) throw forbidden('Only admins may list the persons collection', 'GET /v1/persons lists the persons you may see.');
    const { rows, nextCursor } = await this.persons.list(actor, {
      ownerId: request.ownerId,
      firstChars: firstCharsOf(request.firstChar),
      updatedSince: request.since === undefined ? undefined : timestamp('since', request.since),
      updatedUntil: request.until === undefined ? undefined : timestamp('until', request.until),
      cursor: request.cursor,
      limit: request.limit,
    });
    return { items: rows.map(renderPersonCollectionItem), nextCursor };
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.persons.remove(actor, id);
  }

  async removeMany(actor: Actor, ids: readonly number[]): Promise<{ id: number[] }> {
    return { id: await this.persons.removeMany(actor, ids) };
  }

  search(actor: Actor, request: PersonOffsetSearchRequest) {
    return this.searchService.searchPersonsByOffset(actor, request);
  }

  /**
   * GET /v1/deals/{id}/persons: the persons of a deal the actor sees. personsd keeps no deal participants, so that is
   * the deal's linked person (when the actor may see it), paged by offset like every v1 list.
   */
  async personsOfDeal(actor: Actor, dealId: number, request: { start?: number; limit?: number }, urls: Urls): Promise<OffsetAnswer<Record<string, unknown>> & Pick<PersonsV1View, 'related'>> {
    const deal = await this.deals.get(actor, dealId);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const { rows, more } = await this.persons.listByOffset(actor, { dealId: deal.id }, { order: [], start, limit });
    const view = await personsV1View(this.db, actor, rows, urls, this.fieldsOf);
    return { items: view.items, related: view.related, start, limit, more };
  }

  /** A person's deals, v1 shaped; the person must be one the actor sees. */
  async dealsOf(actor: Actor, personId: number, request: { start?: number; limit?: number; status?: string; sort?: string }) {
    const person: PersonRow = await this.persons.get(actor, personId);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const status = request.status ?? 'all_not_deleted';
    const { rows, more } = await this.deals.listByOffset(
      actor,
      { personId: person.id, statuses: status === 'all_not_deleted' ? undefined : [status] },
      { order: parseV1Sort(request.sort, DEAL_SORT_COLUMNS), start, limit },
    );
    const refs = new RelatedRefs();
    for (const row of rows) {
      refs.deal(row);
      refs.user(row.creator_user_id);
      refs.person(row.person_id);
    }
    const related = await loadRelatedObjects(this.db, actor.companyId, refs, await viewerOf(this.db, actor));
    return { items: rows.map((row) => renderDealV1(row, related)), related, start, limit, more };
  }
}
