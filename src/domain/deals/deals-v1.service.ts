import type { Kysely } from 'kysely';
import { DEAL_SORT_COLUMNS, type DealListFilter } from '../../store/repositories/deals.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import { v1Id } from '../v1-values.js';
import { DEFAULT_LIMIT } from '../paging.js';
import type { DealMergeService } from './deal-merge.service.js';
import type { SearchService } from '../search/search.service.js';
import type { DealSearchRequest, OffsetSearchRequest } from '../search/search-requests.js';
import type { FieldsOf } from '../person-fields/remembered-fields.js';
import { parseV1Sort } from '../v1-sort.js';
import { dealInputFromV1 } from './deal-input-v1.js';
import { type DealsV1View, dealsV1View } from './deal-v1-view.js';
import type { DealsService } from './deals.service.js';

/** GET /v1/deals filters, as the route read them. */
export interface DealV1ListRequest {
  start?: number;
  limit?: number;
  userId?: number;
  ownedByYou?: boolean;
  status?: string;
  sort?: string;
  filterId?: number;
  stageId?: number;
}

/** A page of v1 deals by offset. */
export interface DealsV1Page extends DealsV1View {
  start: number;
  limit: number;
  more: boolean;
}

const V1_STATUSES = ['open', 'won', 'lost', 'deleted', 'all_not_deleted'];

/**
 * The v1 deals API as one more view of the same records: v1 bodies are translated to the v2 input and written by
 * the same DealsService (webhooks, search index, visibility alike), reads render the rows in the v1 shape.
 */
export class DealsV1Service {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deals: DealsService,
    private readonly searchService: SearchService,
    private readonly merger: DealMergeService,
    private readonly fieldsOf: FieldsOf,
  ) {}

  /** Merges deal `id` into `mergeWithId`; answers the survivor with `merge_what_id`, as person merges do. */
  async merge(actor: Actor, id: number, mergeWith: unknown): Promise<DealsV1View> {
    if (mergeWith === undefined || mergeWith === null) throw invalid('merge_with_id must be given');
    const survivor = await this.merger.merge(actor, id, v1Id('merge_with_id', mergeWith));
    const view = await dealsV1View(this.db, actor, [survivor], this.fieldsOf);
    view.items[0].merge_what_id = id;
    return view;
  }

  async get(actor: Actor, id: number): Promise<DealsV1View> {
    return dealsV1View(this.db, actor, [await this.deals.get(actor, id)], this.fieldsOf);
  }

  async create(actor: Actor, body: Record<string, unknown>): Promise<DealsV1View> {
    return dealsV1View(this.db, actor, [await this.deals.create(actor, dealInputFromV1(body, await this.fieldsOf(this.db, actor, 'deal')))], this.fieldsOf);
  }

  async update(actor: Actor, id: number, body: Record<string, unknown>): Promise<DealsV1View> {
    // The deal first: an unknown id is a 404 even when the body is also wrong.
    await this.deals.get(actor, id);
    return dealsV1View(this.db, actor, [await this.deals.update(actor, id, dealInputFromV1(body, await this.fieldsOf(this.db, actor, 'deal')))], this.fieldsOf);
  }

  async list(actor: Actor, request: DealV1ListRequest): Promise<DealsV1Page> {
    return this.page(actor, { ownerId: request.ownedByYou ? actor.userId : request.userId, stageId: request.stageId }, request, request.filterId);
  }

  /** The deals of a filter (an organization's, a person's), v1 shaped, by offset. */
  async page(actor: Actor, filter: DealListFilter, request: { start?: number; limit?: number; status?: string; sort?: string }, filterId?: number): Promise<DealsV1Page> {
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const status = request.status ?? 'all_not_deleted';
    if (!V1_STATUSES.includes(status)) throw invalid(`status: "${status}" is not one of ${V1_STATUSES.join(', ')}`);
    const { rows, more } = await this.deals.listByOffset(
      actor,
      { ...filter, statuses: status === 'all_not_deleted' ? undefined : [status] },
      { order: parseV1Sort(request.sort, DEAL_SORT_COLUMNS), start, limit },
      filterId,
    );
    return { ...(await dealsV1View(this.db, actor, rows, this.fieldsOf)), start, limit, more };
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.deals.remove(actor, id);
  }

  async removeMany(actor: Actor, ids: readonly number[]): Promise<{ id: number[] }> {
    return { id: await this.deals.removeMany(actor, ids) };
  }

  search(actor: Actor, request: OffsetSearchRequest & Omit<DealSearchRequest, 'cursor'>) {
    return this.searchService.searchDealsByOffset(actor, request);
  }
}
