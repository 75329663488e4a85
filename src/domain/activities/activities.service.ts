import type { Kysely } from 'kysely';
import { type FilterSelections, withFilterId } from '../filters/filter-selection.js';
import type { Executor } from '../../store/executor.js';
import * as activities from '../../store/repositories/activities.repository.js';
import type { ActivityListFilter, ActivityRow } from '../../store/repositories/activities.repository.js';
import { findDeal } from '../../store/repositories/deals.repository.js';
import { findOrganization, findOrganizationForShare } from '../../store/repositories/organizations.repository.js';
import { findPerson, findPersonForShare } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { timestamp } from '../field-rules.js';
import { type ListRequest, pageFromRequest, pageResult, timeFilters } from '../paging.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { type ActivityInput, applyActivityInput, newActivityValues } from './activity-input.js';
import { ACTIVITY_FIELDS_V2, type ActivityFieldV2 } from '../person-fields/activity-fields.js';
import { activityNames } from './activity-names.js';
import { checkActivityReferences, defaultActivityType } from './activity-references.js';
import { findActivityTypeByKey } from '../../store/repositories/activity-types.repository.js';
import type { ActivityNames } from './activity-render.js';

export interface ActivityListRequest extends ListRequest, Omit<ActivityListFilter, 'types' | 'dueFrom' | 'dueTo' | 'exclude' | 'predicate'> {
  /** A saved activity filter: ids, owner, person, organization and deal are then ignored, as Pipedrive does. */
  filterId?: number;
}

export interface ActivityPage {
  rows: ActivityRow[];
  names: ActivityNames;
  start: number;
  limit: number;
  more: boolean;
}

/** The record a v1 list of activities belongs to (`/v1/persons/{id}/activities` …). */
export type ActivityOwnerRecord = 'person' | 'organization' | 'deal';

/** Activities: what was done and what is planned with persons, organizations and deals, seen by whoever sees all of them. */
export class ActivitiesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    /** Run inside every activity write's transaction (webhook outbox). */
    readonly listeners: WriteListener<ActivityRow>[] = [],
    /** Saved filters, for `filter_id`. */
    private readonly filters?: FilterSelections,
  ) {}

  async get(actor: Actor, id: number): Promise<ActivityRow> {
    const row = await activities.findActivity(this.db, actor.companyId, id, await viewerOf(this.db, actor));
    if (!row) throw activityNotFound(id);
    return row;
  }

  async names(actor: Actor, rows: readonly ActivityRow[]): Promise<ActivityNames> {
    return activityNames(this.db, actor.companyId, rows);
  }

  /** v1 `GET /v1/activities/collection` (admins only): every user's activities by cursor, oldest id first. */
  async collection(
    actor: Actor,
    request: { cursor?: string; limit?: number; since?: string; until?: string; userId?: number; done?: boolean; types?: string[] },
  ): Promise<{ rows: ActivityRow[]; nextCursor: string | null }> {
    if (!actor.isAdmin) throw forbidden('Only admins may list the activities collection', 'GET /v1/activities lists the activities you may see.');
    const page = pageFromRequest(this.cursors, { cursor: request.cursor, limit: request.limit, sortBy: 'id' as const });
    const filter: ActivityListFilter = {
      ownerId: request.userId,
      done: request.done === undefined ? undefined : request.done ? 1 : 0,
      types: request.types,
      updatedSince: request.since === undefined ? undefined : timestamp('since', request.since),
      updatedUntil: request.until === undefined ? undefined : timestamp('until', request.until),
    };
    return pageResult(this.cursors, page, await activities.listActivities(this.db, actor.companyId, filter, page, await viewerOf(this.db, actor)));
  }

  /** v2 `GET /api/v2/activityFields`: a cursor page of the activity fields (system fields only). */
  fieldsPage(request: { limit?: number; cursor?: string }): { rows: ActivityFieldV2[]; nextCursor: string | null } {
    const page = pageFromRequest(this.cursors, request);
    const after = page.after?.id ?? 0;
    return pageResult(this.cursors, page, ACTIVITY_FIELDS_V2.filter((f) => f.id > after).slice(0, page.limit + 1));
  }

  /** One activity field by its v2 code. */
  field(code: string): ActivityFieldV2 {
    const field = ACTIVITY_FIELDS_V2.find((f) => f.field_code === code);
    if (!field) throw notFound('Activity field not found', `No activity field has the code "${code}"; GET /api/v2/activityFields lists them.`);
    return field;
  }

  /** v2: a cursor page. */
  async list(actor: Actor, request: ActivityListRequest): Promise<{ rows: ActivityRow[]; nextCursor: string | null }> {
    // Beside a filter the ids are ignored, so they are not limited either (as persons').
    if (request.filterId === undefined && request.ids && request.ids.length > 100) throw invalid('ids may list at most 100 ids');
    const { filterId, ...filter } = request;
    const narrowed = await withFilterId(this.filters, actor, filter, filterId, 'activity');
    const page = pageFromRequest(this.cursors, request);
    return pageResult(this.cursors, page, await activities.listActivities(this.db, actor.companyId, timeFilters(narrowed), page, await viewerOf(this.db, actor)));
  }

  /**
   * v1: an offset page; with `record`, only the activities of that person, organization or deal (404 when unseen).
   * v1's `filter_id` narrows together with the other parameters (the owner, type, dates), as its spec says.
   */
  async listByOffset(
    actor: Actor,
    filter: ActivityListFilter,
    page: { start?: number; limit?: number },
    record?: { kind: ActivityOwnerRecord; id: number },
    filterId?: number,
  ): Promise<ActivityPage> {
    const viewer = await viewerOf(this.db, actor);
    const scoped = { ...filter };
    if (filterId !== undefined) {
      if (!this.filters) throw invalid('filter_id is not supported on this list');
      scoped.predicate = await this.filters.selection(actor, filterId, 'activity');
    }
    if (record) {
      const found =
        record.kind === 'person'
          ? await findPerson(this.db, actor.companyId, record.id, viewer)
          : record.kind === 'organization'
            ? await findOrganization(this.db, actor.companyId, record.id, viewer)
            : await findDeal(this.db, actor.companyId, record.id, viewer);
      if (!found) throw notFound(`${record.kind[0].toUpperCase()}${record.kind.slice(1)} not found`, `No ${record.kind} with id ${record.id} exists in this company.`);
      if (record.kind === 'person') scoped.personId = record.id;
      else if (record.kind === 'organization') scoped.orgId = record.id;
      else scoped.dealId = record.id;
    }
    for (const [name, date] of [['start_date', filter.dueFrom], ['end_date', filter.dueTo]] as const) {
      if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw invalid(`${name}: "${date}" is not a date`, 'Use YYYY-MM-DD.');
    }
    const start = page.start ?? 0;
    const limit = page.limit ?? 100;
    const rows = await activities.listActivitiesByOffset(this.db, actor.companyId, timeFilters(scoped), { start, limit }, viewer);
    const kept = rows.slice(0, limit);
    return { rows: kept, names: await this.names(actor, kept), start, limit, more: rows.length > limit };
  }

  async create(actor: Actor, input: ActivityInput): Promise<ActivityRow> {
    const now = nowStored();
    return this.db.transaction().execute(async (trx) => {
      const values = applyActivityInput(newActivityValues(actor.userId, now.slice(0, 10)), input, now);
      if (input.type === undefined) values.type = (await defaultActivityType(trx, actor.companyId)).key;
      if (values.type === '') throw invalid('type must not be empty');
      await checkActivityReferences(trx, actor, values, input, true);
      // Without a subject, the activity is called by its type's name, as Pipedrive's.
      if (input.subject === undefined) values.subject = (await typeName(trx, actor.companyId, values.type)) ?? values.type;
      const id = await activities.insertActivity(trx, {
        company_id: actor.companyId,
        ...values,
        creator_user_id: actor.userId,
        update_user_id: actor.userId,
        add_time: now,
        update_time: now,
        deleted_time: null,
      });
      const after = (await activities.findActivity(trx, actor.companyId, id)) as ActivityRow;
      await notifyWrite(this.listeners, trx, { entity: 'activity', action: 'create', actor, before: null, after });
      return after;
    });
  }

  async update(actor: Actor, id: number, input: ActivityInput): Promise<ActivityRow> {
    const now = nowStored();
    return this.db.transaction().execute(async (trx) => {
      // The persons and organization it will link before the activity: deleting one locks it, then its activities.
      for (const personId of [input.person_id, ...(input.participants ?? []).map((p) => p.person_id)]) {
        if (typeof personId === 'number') await findPersonForShare(trx, actor.companyId, personId);
      }
      if (typeof input.org_id === 'number') await findOrganizationForShare(trx, actor.companyId, input.org_id);
      const before = await activities.findActivityForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before) throw activityNotFound(id);
      const values = applyActivityInput(before, input, now);
      if (values.type === '') throw invalid('type must not be empty');
      await checkActivityReferences(trx, actor, values, input, false);
      const { subject, type, owner_id, person_id, org_id, deal_id, participants, attendees, due_date, due_time, duration, done, marked_as_done_time, busy_flag, location, note, public_description, priority } = values;
      await activities.updateActivity(trx, actor.companyId, id, {
        subject, type, owner_id, person_id, org_id, deal_id, participants, attendees, due_date, due_time, duration, done, marked_as_done_time, busy_flag, location, note,
        public_description, priority, update_user_id: actor.userId, update_time: now,
      });
      const after = (await activities.findActivity(trx, actor.companyId, id)) as ActivityRow;
      await notifyWrite(this.listeners, trx, { entity: 'activity', action: 'change', actor, before, after });
      return after;
    });
  }

  async remove(actor: Actor, id: number): Promise<void> {
    await this.removeMany(actor, [id]);
  }

  /** Deletes every listed activity, or none when one of them is not there (or not seen): a 404 naming it. */
  async removeMany(actor: Actor, ids: readonly number[]): Promise<number[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw invalid('ids must list at least one activity id');
    if (unique.length > 500) throw invalid('ids may list at most 500 ids');
    return this.db.transaction().execute(async (trx) => {
      const found = await activities.findActivitiesForUpdate(trx, actor.companyId, unique, await viewerOf(trx, actor));
      const missing = unique.find((id) => !found.some((a) => a.id === id));
      if (missing !== undefined) throw activityNotFound(missing);
      const now = nowStored();
      for (const before of found) {
        await activities.markActivityDeleted(trx, actor.companyId, before.id, now);
        await notifyWrite(this.listeners, trx, { entity: 'activity', action: 'delete', actor, before, after: null });
      }
      return unique;
    });
  }

  /** Internal writes of other services (merges, person deletes): the store change, then the listeners. */
  async notifyChanged(trx: Executor, actor: Actor, before: ActivityRow): Promise<void> {
    const after = (await activities.findActivitiesByIds(trx, actor.companyId, [before.id]))[0];
    if (after.deleted_time !== null) await notifyWrite(this.listeners, trx, { entity: 'activity', action: 'delete', actor, before, after: null });
    else await notifyWrite(this.listeners, trx, { entity: 'activity', action: 'change', actor, before, after });
  }
}

async function typeName(db: Executor, companyId: number, key: string): Promise<string | undefined> {
  return (await findActivityTypeByKey(db, companyId, key))?.name;
}

/** An activity the caller may not see answers like one that does not exist. */
export function activityNotFound(id: number) {
  return notFound('Activity not found', `No activity with id ${id} exists in this company.`);
}
