import { type FilterSelections, withFilterId } from '../filters/filter-selection.js';
import { pickIncluded } from '../include-fields.js';
import { countDeals, dealIncludeValues } from './deal-counts.js';
import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as deals from '../../store/repositories/deals.repository.js';
import type { DealListFilter, DealRow, DealSortColumn } from '../../store/repositories/deals.repository.js';
import { findOrganizationForShare } from '../../store/repositories/organizations.repository.js';
import { findPersonForShare } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import { resolveDealPlace } from '../pipelines/deal-stage.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { type ListRequest, pageFromRequest, pageResult, timeFilters } from '../paging.js';
import { customFieldsOfWrite } from '../person-fields/custom-field-values.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { type DealInput, type DealStatus, type DealValues, applyDealInput, newDealValues } from './deal-input.js';

export interface DealListRequest extends ListRequest, DealListFilter {
  /** A saved deals filter; replaces ids, owner_id, person_id and org_id. */
  filterId?: number;
}

const LIST_STATUSES = ['open', 'won', 'lost', 'deleted'];

export class DealsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    /** Run inside every deal write's transaction (webhook outbox). */
    private readonly listeners: WriteListener<DealRow>[] = [],
    /** Saved filters, for `filter_id`. */
    private readonly filters?: FilterSelections,
  ) {}

  /** The `include_fields` values asked for, per deal of a page (empty objects when none is asked for). */
  async includedFields(actor: Actor, rows: readonly DealRow[], include: ReadonlySet<string> | undefined): Promise<Map<number, Record<string, unknown>>> {
    const counts = include ? await countDeals(this.db, actor, rows.map((r) => r.id), include) : new Map();
    return new Map(rows.map((row) => [row.id, pickIncluded(dealIncludeValues(row, counts.get(row.id)), include)]));
  }

  async get(actor: Actor, id: number): Promise<DealRow> {
    const row = await deals.findDeal(this.db, actor.companyId, id, await viewerOf(this.db, actor));
    if (!row) throw dealNotFound(id);
    return row;
  }

  async create(actor: Actor, input: DealInput): Promise<DealRow> {
    const now = nowStored();
    return this.db.transaction().execute(async (trx) => {
      const caller = await findUser(trx, actor.companyId, actor.userId);
      const values = applyDealInput(newDealValues(actor.userId, caller?.default_currency ?? 'USD', now), input, true, now);
      await checkReferences(trx, actor, values, input);
      values.custom_fields = (await customFieldsOfWrite(trx, actor, 'deal', values.custom_fields, input.custom_fields, true)) ?? values.custom_fields;
      Object.assign(values, await resolveDealPlace(trx, actor.companyId, null, input));
      const id = await deals.insertDeal(trx, { company_id: actor.companyId, creator_user_id: actor.userId, ...values, deleted_time: null });
      const after = (await deals.findDeal(trx, actor.companyId, id)) as DealRow;
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'create', actor, before: null, after });
      return after;
    });
  }

  async update(actor: Actor, id: number, input: DealInput): Promise<DealRow> {
    return this.db.transaction().execute(async (trx) => {
      // The person and organization before the deal: deleting either locks it, then its deals (to unlink them).
      if (typeof input.person_id === 'number') await findPersonForShare(trx, actor.companyId, input.person_id);
      if (typeof input.org_id === 'number') await findOrganizationForShare(trx, actor.companyId, input.org_id);
      const before = await deals.findDealForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before) throw dealNotFound(id);
      const values = applyDealInput(valuesOf(before), input, false, nowStored());
      await checkReferences(trx, actor, values, input);
      values.custom_fields = (await customFieldsOfWrite(trx, actor, 'deal', values.custom_fields, input.custom_fields, false)) ?? values.custom_fields;
      Object.assign(values, await resolveDealPlace(trx, actor.companyId, before, input));
      await deals.updateDeal(trx, actor.companyId, id, values);
      const after = (await deals.findDeal(trx, actor.companyId, id)) as DealRow;
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'change', actor, before, after });
      return after;
    });
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await deals.findDealForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before || !(await deals.markDealDeleted(trx, actor.companyId, id, nowStored()))) throw dealNotFound(id);
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'delete', actor, before, after: null });
      return { id };
    });
  }

  /** Deletes every listed deal in one transaction (v1 bulk delete): all or none; one unknown id is a 404. */
  async removeMany(actor: Actor, ids: readonly number[]): Promise<number[]> {
    if (ids.length > 500) throw invalid('ids may list at most 500 ids');
    const unique = [...new Set(ids)];
    return this.db.transaction().execute(async (trx) => {
      const viewer = await viewerOf(trx, actor);
      const time = nowStored();
      for (const id of unique) {
        const before = await deals.findDealForUpdate(trx, actor.companyId, id, viewer);
        if (!before || !(await deals.markDealDeleted(trx, actor.companyId, id, time))) throw dealNotFound(id);
        await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'delete', actor, before, after: null });
      }
      return unique;
    });
  }

  async list(actor: Actor, request: DealListRequest): Promise<{ rows: DealRow[]; nextCursor: string | null }> {
    if (request.filterId === undefined && request.ids && request.ids.length > 100) throw invalid('ids may list at most 100 ids');
    for (const status of request.statuses ?? []) {
      if (!LIST_STATUSES.includes(status)) throw invalid(`status: "${status}" is not one of ${LIST_STATUSES.join(', ')}`);
    }
    const page = pageFromRequest(this.cursors, request);
    const { filterId, ...filter } = timeFilters(request);
    const narrowed = await withFilterId(this.filters, actor, filter, filterId, 'deals');
    return pageResult(this.cursors, page, await deals.listDeals(this.db, actor.companyId, narrowed, page, await viewerOf(this.db, actor)));
  }

  /** A page by offset (v1 lists such as a person's deals): `more` tells whether another page follows. */
  async listByOffset(
    actor: Actor,
    filter: DealListFilter,
    page: { order: { field: DealSortColumn; direction: 'asc' | 'desc' }[]; start: number; limit: number },
    /** A saved deals filter (v1 `filter_id`); replaces ids, owner, person and organization. */
    filterId?: number,
  ): Promise<{ rows: DealRow[]; more: boolean }> {
    for (const status of filter.statuses ?? []) {
      if (!LIST_STATUSES.includes(status)) throw invalid(`status: "${status}" is not one of ${LIST_STATUSES.join(', ')}`);
    }
    const narrowed = await withFilterId(this.filters, actor, filter, filterId, 'deals');
    const rows = await deals.listDealsByOffset(this.db, actor.companyId, narrowed, page, await viewerOf(this.db, actor));
    return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
  }

  /**
   * Moves every live deal of one person to another inside the caller's transaction (a person merge), telling the
   * deal listeners about each deal that changed.
   */
  /** Moves these deals from one person to another (an unmerge moving back what a merge moved), telling the listeners. */
  async moveDeals(trx: Executor, actor: Actor, dealIds: readonly number[], fromPersonId: number, toPersonId: number, time: string): Promise<void> {
    if (dealIds.length === 0) return;
    const moving = await deals.findDealsByIds(trx, actor.companyId, [...dealIds]);
    await deals.moveDealsByIds(trx, actor.companyId, dealIds, fromPersonId, toPersonId, time);
    const moved = new Map((await deals.findDealsByIds(trx, actor.companyId, [...dealIds])).map((d) => [d.id, d]));
    for (const before of moving) {
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'change', actor, before, after: moved.get(before.id) ?? null });
    }
  }

  /** Unlinks every live deal of a person or an organization inside the caller's transaction, telling the listeners. */
  async unlink(trx: Executor, actor: Actor, link: 'person_id' | 'org_id', id: number): Promise<void> {
    const linked = await deals.linkedDealsForUpdate(trx, actor.companyId, link, id);
    if (linked.length === 0) return;
    const now = nowStored();
    await deals.unlinkDeals(trx, actor.companyId, link, id, now);
    for (const before of linked) {
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'change', actor, before, after: { ...before, [link]: null, update_time: now } });
    }
  }

  /** Moves every live deal of one organization to another inside the caller's transaction (an organization merge). */
  async moveOrganizationDeals(trx: Executor, actor: Actor, fromOrgId: number, toOrgId: number, time: string): Promise<void> {
    for (const before of await deals.linkedDealsForUpdate(trx, actor.companyId, 'org_id', fromOrgId)) {
      await deals.updateDeal(trx, actor.companyId, before.id, { org_id: toOrgId, update_time: time });
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'change', actor, before, after: { ...before, org_id: toOrgId, update_time: time } });
    }
  }

  async movePersonDeals(trx: Executor, actor: Actor, fromPersonId: number, toPersonId: number, time: string): Promise<void> {
    const moving = await deals.listPersonDeals(trx, actor.companyId, fromPersonId);
    if (moving.length === 0) return;
    await deals.movePersonDeals(trx, actor.companyId, fromPersonId, toPersonId, time);
    const moved = new Map((await deals.findDealsByIds(trx, actor.companyId, moving.map((d) => d.id))).map((d) => [d.id, d]));
    for (const before of moving) {
      await notifyWrite(this.listeners, trx, { entity: 'deal', action: 'change', actor, before, after: moved.get(before.id) ?? null });
    }
  }
}

/**
 * A person or organization write listener: when one is deleted, its deals lose the link in the same transaction,
 * as persons lose a deleted organization (a kept link would only hand out an id that answers 404, and the purge
 * unlinks them anyway). Each deal is a change for the deal listeners, by the user who deleted the record.
 */
export function unlinkDealsOnDelete<Row extends { id: number }>(dealsService: DealsService, link: 'person_id' | 'org_id'): WriteListener<Row> {
  return (trx, event) => (event.action === 'delete' && event.before ? dealsService.unlink(trx, event.actor, link, event.before.id) : Promise.resolve());
}

/** A deal the caller may not see answers like one that does not exist. */
function dealNotFound(id: number) {
  return notFound('Deal not found', `No deal with id ${id} exists in this company.`);
}

function valuesOf(row: DealRow): DealValues {
  const { id: _id, company_id: _company, creator_user_id: _creator, deleted_time: _deleted, ...values } = row;
  return { ...values, status: row.status as DealStatus };
}

/**
 * Owner, person and organization must be live members of the caller's company, the last two ones the caller sees;
 * those two are share-locked, so a concurrent delete either waits for this write and unlinks it, or makes it a 400.
 */
async function checkReferences(db: Executor, actor: Actor, values: DealValues, input: DealInput): Promise<void> {
  if (input.owner_id !== undefined) {
    const owner = await findUser(db, actor.companyId, values.owner_id);
    if (!owner || owner.active_flag !== 1) throw invalid(`owner_id ${values.owner_id} is not an active user of this company`);
  }
  const linksPerson = input.person_id !== undefined && values.person_id !== null;
  const linksOrganization = input.org_id !== undefined && values.org_id !== null;
  if (!linksPerson && !linksOrganization) return;
  const viewer = await viewerOf(db, actor);
  if (linksPerson && !(await findPersonForShare(db, actor.companyId, values.person_id as number, viewer))) {
    throw invalid(`person_id ${values.person_id} is not a person of this company`);
  }
  if (linksOrganization && !(await findOrganizationForShare(db, actor.companyId, values.org_id as number, viewer))) {
    throw invalid(`org_id ${values.org_id} is not an organization of this company`);
  }
}
