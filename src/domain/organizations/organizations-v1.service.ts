import type { Kysely } from 'kysely';
import { PERSON_SORT_COLUMNS } from '../../store/repositories/persons.repository.js';
import { ORGANIZATION_SORT_COLUMNS } from '../../store/repositories/organization-v1.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { DealsV1Page, DealsV1Service } from '../deals/deals-v1.service.js';
import { invalid } from '../errors.js';
import { DEFAULT_LIMIT } from '../paging.js';
import { type PersonsV1View, personsV1View } from '../persons/person-v1-view.js';
import type { FieldsOf } from '../person-fields/remembered-fields.js';
import type { PersonsService } from '../persons/persons.service.js';
import type { PictureUrls } from '../persons/picture-render.js';
import type { SearchService } from '../search/search.service.js';
import type { OffsetSearchRequest } from '../search/search-requests.js';
import { parseV1Sort } from '../v1-sort.js';
import { v1FirstChars, v1Id } from '../v1-values.js';
import { organizationInputFromV1 } from './organization-input-v1.js';
import { type OrganizationsV1View, organizationsV1View } from './organization-v1-view.js';
import type { OrganizationMergeService } from './organization-merge.service.js';
import type { OrganizationsService } from './organizations.service.js';

/** GET /v1/organizations filters, as the route read them. */
export interface OrganizationV1ListRequest {
  start?: number;
  limit?: number;
  userId?: number;
  firstChar?: string;
  sort?: string;
  filterId?: number;
}

export interface OffsetPageOf<V> {
  view: V;
  start: number;
  limit: number;
  more: boolean;
}

type Urls = (personId: number) => PictureUrls;

/**
 * The v1 organizations API as one more view of the same records: v1 bodies are translated to the v2 input and
 * written by the same OrganizationsService (webhooks, search index, unlinking on delete alike); reads render the
 * rows in the v1 shape. An organization's persons and deals are the persons and deals services' own pages.
 */
export class OrganizationsV1Service {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: OrganizationsService,
    private readonly persons: PersonsService,
    private readonly dealsV1: DealsV1Service,
    private readonly searchService: SearchService,
    private readonly merger: OrganizationMergeService,
    private readonly fieldsOf: FieldsOf,
  ) {}

  async get(actor: Actor, id: number): Promise<OrganizationsV1View> {
    return organizationsV1View(this.db, actor, [await this.organizations.get(actor, id)], this.fieldsOf);
  }

  async create(actor: Actor, body: Record<string, unknown>): Promise<OrganizationsV1View> {
    return organizationsV1View(this.db, actor, [await this.organizations.create(actor, organizationInputFromV1(body, await this.fieldsOf(this.db, actor, 'organization')))], this.fieldsOf);
  }

  async update(actor: Actor, id: number, body: Record<string, unknown>): Promise<OrganizationsV1View> {
    // The organization first: an unknown id is a 404 even when the body is also wrong.
    await this.organizations.get(actor, id);
    return organizationsV1View(this.db, actor, [await this.organizations.update(actor, id, organizationInputFromV1(body, await this.fieldsOf(this.db, actor, 'organization')))], this.fieldsOf);
  }

  async list(actor: Actor, request: OrganizationV1ListRequest): Promise<OffsetPageOf<OrganizationsV1View>> {
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const order = parseV1Sort(request.sort, ORGANIZATION_SORT_COLUMNS);
    const filter = { ownerId: request.userId, firstChars: v1FirstChars(request.firstChar) };
    const { rows, more } = await this.organizations.listByOffset(actor, filter, { order, start, limit }, request.filterId);
    return { view: await organizationsV1View(this.db, actor, rows, this.fieldsOf), start, limit, more };
  }

  /** Merges organization `id` into `mergeWithId`; answers the survivor with `merge_what_id`, as person merges do. */
  async merge(actor: Actor, id: number, mergeWith: unknown): Promise<OrganizationsV1View> {
    if (mergeWith === undefined || mergeWith === null) throw invalid('merge_with_id must be given');
    const survivor = await this.merger.merge(actor, id, v1Id('merge_with_id', mergeWith));
    const view = await organizationsV1View(this.db, actor, [survivor], this.fieldsOf);
    view.items[0].merge_what_id = id;
    return view;
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.organizations.remove(actor, id);
  }

  async removeMany(actor: Actor, ids: readonly number[]): Promise<{ id: number[] }> {
    return { id: await this.organizations.removeMany(actor, ids) };
  }

  search(actor: Actor, request: OffsetSearchRequest) {
    return this.searchService.searchOrganizationsByOffset(actor, request);
  }

  /** The organization's persons (those the caller sees), v1 shaped, by offset. */
  async personsOf(actor: Actor, id: number, request: { start?: number; limit?: number; sort?: string }, urls: Urls): Promise<OffsetPageOf<PersonsV1View>> {
    const organization = await this.organizations.get(actor, id);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const { rows, more } = await this.persons.listByOffset(actor, { orgId: organization.id }, { order: parseV1Sort(request.sort, PERSON_SORT_COLUMNS), start, limit });
    return { view: await personsV1View(this.db, actor, rows, urls, this.fieldsOf), start, limit, more };
  }

  /** The deals linked to the organization (those the caller sees), v1 shaped, by offset. */
  async dealsOf(actor: Actor, id: number, request: { start?: number; limit?: number; status?: string; sort?: string }): Promise<DealsV1Page> {
    const organization = await this.organizations.get(actor, id);
    return this.dealsV1.page(actor, { orgId: organization.id }, request);
  }
}
