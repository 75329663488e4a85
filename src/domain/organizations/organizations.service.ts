import { type FilterSelections, withFilterId } from '../filters/filter-selection.js';
import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as orgs from '../../store/repositories/organizations.repository.js';
import { type OrganizationOffsetFilter, type OrganizationOffsetPage, listOrganizationsByOffset } from '../../store/repositories/organization-v1.repository.js';
import type { OrganizationListFilter, OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { ADDRESS_PARTS, normalizeAddress } from '../address.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { requiredName, timestamp, visibility } from '../field-rules.js';
import { type ListRequest, pageFromRequest, pageResult, timeFilters } from '../paging.js';
import { customFieldsOfWrite } from '../person-fields/custom-field-values.js';
import { nowStored } from '../time.js';
import { pickIncluded } from '../include-fields.js';
import { countOrganizations, organizationIncludeValues } from './organization-counts.js';
import { type WriteListener, notifyWrite } from '../write-events.js';

export interface OrganizationInput {
  name?: string;
  owner_id?: number;
  visible_to?: number;
  label_ids?: number[];
  address?: Record<string, string | null | undefined> | null;
  custom_fields?: Record<string, unknown>;
  add_time?: string;
  update_time?: string;
}

export interface OrganizationListRequest extends ListRequest, OrganizationListFilter {
  /** A saved org filter; replaces ids and owner_id. */
  filterId?: number;
}

const ORGANIZATION_ADDRESS_PARTS = [...ADDRESS_PARTS, 'formatted_address'];

export class OrganizationsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    /** Run inside every write's transaction (search index, webhook outbox). */
    private readonly listeners: WriteListener<OrganizationRow>[] = [],
    /** Saved filters, for `filter_id`. */
    private readonly filters?: FilterSelections,
  ) {}

  /** The `include_fields` values asked for, per organization of a page (empty objects when none is asked for). */
  async includedFields(actor: Actor, ids: readonly number[], include: ReadonlySet<string> | undefined): Promise<Map<number, Record<string, unknown>>> {
    const counts = include ? await countOrganizations(this.db, actor, ids, include) : new Map();
    return new Map(ids.map((id) => [id, pickIncluded(organizationIncludeValues(counts.get(id)), include)]));
  }

  async get(actor: Actor, id: number): Promise<OrganizationRow> {
    const row = await orgs.findOrganization(this.db, actor.companyId, id, await viewerOf(this.db, actor));
    if (!row) throw organizationNotFound(id);
    return row;
  }

  async create(actor: Actor, input: OrganizationInput): Promise<OrganizationRow> {
    if (input.name === undefined) throw invalid('name must be given');
    const now = nowStored();
    const columns = organizationColumns(input, now, true);
    return this.db.transaction().execute(async (trx) => {
      const ownerId = input.owner_id ?? actor.userId;
      await checkOwner(trx, actor, ownerId);
      const id = await orgs.insertOrganization(trx, {
        company_id: actor.companyId,
        name: columns.name as string,
        owner_id: ownerId,
        visible_to: columns.visible_to ?? 3,
        label_ids: columns.label_ids ?? '[]',
        address: columns.address ?? null,
        picture_id: null,
        custom_fields: (await customFieldsOfWrite(trx, actor, 'organization', '{}', input.custom_fields, true)) ?? '{}',
        add_time: columns.add_time ?? now,
        update_time: columns.update_time ?? columns.add_time ?? now,
        deleted_time: null,
      });
      const after = (await orgs.findOrganization(trx, actor.companyId, id)) as OrganizationRow;
      await notifyWrite(this.listeners, trx, { entity: 'organization', action: 'create', actor, before: null, after });
      return after;
    });
  }

  async update(actor: Actor, id: number, input: OrganizationInput): Promise<OrganizationRow> {
    const columns = organizationColumns(input, nowStored(), false);
    return this.db.transaction().execute(async (trx) => {
      const before = await orgs.findOrganizationForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before) throw organizationNotFound(id);
      if (input.owner_id !== undefined) await checkOwner(trx, actor, input.owner_id);
      const custom_fields = await customFieldsOfWrite(trx, actor, 'organization', before.custom_fields, input.custom_fields, false);
      await orgs.updateOrganization(trx, actor.companyId, id, {
        ...columns,
        ...(input.owner_id !== undefined && { owner_id: input.owner_id }),
        ...(custom_fields !== undefined && { custom_fields }),
      });
      const after = (await orgs.findOrganization(trx, actor.companyId, id)) as OrganizationRow;
      await notifyWrite(this.listeners, trx, { entity: 'organization', action: 'change', actor, before, after });
      return after;
    });
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await orgs.findOrganizationForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before || !(await orgs.markOrganizationDeleted(trx, actor.companyId, id, nowStored()))) throw organizationNotFound(id);
      await notifyWrite(this.listeners, trx, { entity: 'organization', action: 'delete', actor, before, after: null });
      return { id };
    });
  }

  /** Deletes every listed organization in one transaction (v1 bulk delete): all or none; one unknown id is a 404. */
  async removeMany(actor: Actor, ids: readonly number[]): Promise<number[]> {
    if (ids.length > 500) throw invalid('ids may list at most 500 ids');
    const unique = [...new Set(ids)];
    return this.db.transaction().execute(async (trx) => {
      const viewer = await viewerOf(trx, actor);
      const time = nowStored();
      for (const id of unique) {
        const before = await orgs.findOrganizationForUpdate(trx, actor.companyId, id, viewer);
        if (!before || !(await orgs.markOrganizationDeleted(trx, actor.companyId, id, time))) throw organizationNotFound(id);
        await notifyWrite(this.listeners, trx, { entity: 'organization', action: 'delete', actor, before, after: null });
      }
      return unique;
    });
  }

  /** A page by offset (v1), with v1's filters and an optional saved filter (`filter_id`, which replaces the owner). */
  async listByOffset(actor: Actor, filter: OrganizationOffsetFilter, page: OrganizationOffsetPage, filterId?: number): Promise<{ rows: OrganizationRow[]; more: boolean }> {
    const narrowed = await withFilterId(this.filters, actor, filter, filterId, 'org');
    const rows = await listOrganizationsByOffset(this.db, actor.companyId, narrowed, page, await viewerOf(this.db, actor));
    return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
  }

  async list(actor: Actor, request: OrganizationListRequest): Promise<{ rows: OrganizationRow[]; nextCursor: string | null }> {
    if (request.filterId === undefined && request.ids && request.ids.length > 100) throw invalid('ids may list at most 100 ids');
    const page = pageFromRequest(this.cursors, request);
    const { filterId, ...filter } = timeFilters(request);
    const narrowed = await withFilterId(this.filters, actor, filter, filterId, 'org');
    return pageResult(this.cursors, page, await orgs.listOrganizations(this.db, actor.companyId, narrowed, page, await viewerOf(this.db, actor)));
  }
}

/** An organization the caller may not see answers like one that does not exist. */
function organizationNotFound(id: number) {
  return notFound('Organization not found', `No organization with id ${id} exists in this company.`);
}

async function checkOwner(db: Executor, actor: Actor, ownerId: number): Promise<void> {
  const owner = await findUser(db, actor.companyId, ownerId);
  if (!owner || owner.active_flag !== 1) throw invalid(`owner_id ${ownerId} is not an active user of this company`);
}

/** The columns a body sets; update_time moves on every change unless the body sets it. */
function organizationColumns(input: OrganizationInput, now: string, isCreate: boolean) {
  const add_time = input.add_time !== undefined ? timestamp('add_time', input.add_time) : undefined;
  return {
    ...(input.name !== undefined && { name: requiredName('name', input.name) }),
    ...(input.visible_to !== undefined && { visible_to: visibility(input.visible_to) }),
    ...(input.label_ids !== undefined && { label_ids: JSON.stringify([...new Set(input.label_ids)]) }),
    ...(input.address !== undefined && { address: jsonOrNull(normalizeAddress('address', input.address, ORGANIZATION_ADDRESS_PARTS)) }),
    ...(add_time !== undefined && { add_time }),
    update_time: input.update_time !== undefined ? timestamp('update_time', input.update_time) : isCreate ? (add_time ?? now) : now,
  };
}

const jsonOrNull = (value: unknown) => (value === null ? null : JSON.stringify(value));
