import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import type { FilterPredicate } from '../../store/filters/filter-predicate.js';
import { TOP_GROUP } from '../../store/record-visibility.js';
import * as filters from '../../store/repositories/filters.repository.js';
import type { FilterRow } from '../../store/repositories/filters.repository.js';
import { groupMemberships, listGroups } from '../../store/repositories/visibility-groups.repository.js';
import type { Database } from '../../store/schema.js';
import { userMaySee } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { type ChangeStamp, RememberedWhileUnchanged } from '../remembered-while-unchanged.js';
import { nowStored } from '../time.js';
import { type ConditionGroup, parseConditionTree } from './filter-conditions.js';
import {
  FILTER_OBJECTS,
  type FilterFieldSources,
  type FilterFields,
  type FilterObject,
  type FilterableType,
  OBJECT_TABLES,
  RELATED_OBJECTS,
  defaultFilterFieldSources,
  loadFilterFields,
} from './filter-fields.js';
import { filterHelpers } from './filter-operators.js';
import { ADDRESS_PARTS, type FilterScope, conditionPredicate } from './filter-predicate.js';
import { RELATIVE_DATES, RELATIVE_DATE_INTERVALS } from './relative-dates.js';
import { renderFilterV1 } from './filter-render.js';
import { filterableType, listName } from './filter-types.js';

export interface FilterInput {
  name?: string;
  conditions?: unknown;
  type?: string;
  visible_to?: number | string;
}

const MAX_BULK = 100;
const VISIBLE_TO = new Set([1, 3, 5, 7]);

/**
 * Saved filters (v1 Filters API) and the one function every list with `filter_id` calls: `selection` answers the
 * predicate the list's repository adds to its query. A filter is seen under its own `visible_to` (1: its owner;
 * 3, 5, 7 as records are) and edited by its owner or an admin. It only narrows: lists apply it on top of the
 * caller's record visibility.
 */
export class FiltersService {
  /** Each company's fields per object, while no field changes (a list with `filter_id` read them four times). */
  private readonly rememberedFields: RememberedWhileUnchanged<FilterFields, string>;

  constructor(
    private readonly db: Kysely<Database>,
    settingsStamp: ChangeStamp = () => undefined,
    private readonly sources: FilterFieldSources = defaultFilterFieldSources(),
  ) {
    this.rememberedFields = new RememberedWhileUnchanged(settingsStamp);
  }

  async list(actor: Actor, type?: string) {
    const rows = await filters.listFilters(this.db, actor.companyId, type);
    const visible = await this.visibility(this.db, actor);
    return rows.filter(visible).map((row) => renderFilterV1(row, actor));
  }

  async get(actor: Actor, id: number, includeFieldCode = false) {
    return this.render(actor, await this.visibleFilter(this.db, actor, id), includeFieldCode);
  }

  async create(actor: Actor, input: FilterInput, includeFieldCode = false) {
    if (input.name === undefined || input.name.trim() === '') throw invalid('name is required');
    if (input.type === undefined) throw invalid('type is required: people, org, deals or activity');
    if (input.conditions === undefined) throw invalid('conditions is required');
    const type = filterableType(input.type);
    const tree = await this.checkedTree(actor, type, input.conditions);
    const now = nowStored();
    const id = await filters.insertFilter(this.db, {
      company_id: actor.companyId,
      user_id: actor.userId,
      name: input.name.trim(),
      type,
      conditions: JSON.stringify(tree),
      visible_to: visibleTo(input.visible_to) ?? 1,
      temporary_flag: 0,
      add_time: now,
      update_time: now,
      deleted_time: null,
    });
    return this.render(actor, (await filters.findFilter(this.db, actor.companyId, id)) as FilterRow, includeFieldCode);
  }

  async update(actor: Actor, id: number, input: FilterInput, includeFieldCode = false) {
    const row = await this.db.transaction().execute(async (trx) => {
      const before = await this.editableFilter(trx, actor, id);
      if (input.type !== undefined && input.type !== before.type) throw invalid(`type cannot be changed (this is a ${before.type} filter)`);
      if (input.conditions === undefined) throw invalid('conditions is required');
      if (input.name !== undefined && input.name.trim() === '') throw invalid('name must not be empty');
      const tree = await this.checkedTree(actor, filterableType(before.type), input.conditions, trx);
      await filters.updateFilter(trx, actor.companyId, id, {
        name: input.name?.trim() ?? before.name,
        conditions: JSON.stringify(tree),
        visible_to: visibleTo(input.visible_to) ?? before.visible_to,
        update_time: nowStored(),
      });
      return (await filters.findFilter(trx, actor.companyId, id)) as FilterRow;
    });
    return this.render(actor, row, includeFieldCode);
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    await this.removeMany(actor, [id]);
    return { id };
  }

  /** All or nothing: every id must be a filter the caller may edit. */
  async removeMany(actor: Actor, ids: readonly number[]): Promise<{ id: number[] }> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw invalid('ids must list at least one filter id');
    if (unique.length > MAX_BULK) throw invalid(`ids may list at most ${MAX_BULK} ids`);
    await this.db.transaction().execute(async (trx) => {
      for (const id of unique) await this.editableFilter(trx, actor, id);
      await filters.markFiltersDeleted(trx, actor.companyId, unique, nowStored());
    });
    return { id: unique };
  }

  /**
   * The predicate of filter `filterId` for a list of `type` records, as of now (relative dates resolve on the
   * clock). A filter the caller cannot see is a 404, one of another type a 400; a condition naming a field deleted
   * since is a 400 naming it.
   */
  async selection(actor: Actor, filterId: number, type: FilterableType, db: Executor = this.db): Promise<FilterPredicate> {
    const row = await this.visibleFilter(db, actor, filterId);
    if (row.type !== type) {
      throw invalid(`filter_id ${filterId} is a ${row.type} filter; the ${listName(type)} list takes ${type} filters`, `GET /v1/filters?type=${type} lists them.`);
    }
    return conditionPredicate(JSON.parse(row.conditions) as ConditionGroup, await this.scope(actor, type, db));
  }

  helpers() {
    return filterHelpers({ intervals: RELATIVE_DATE_INTERVALS, dates: RELATIVE_DATES }, [...ADDRESS_PARTS]);
  }

  /**
   * The fields of one object's conditions. They come from the company's field rows, whose every change moves the
   * settings stamp, so outside a transaction they are remembered until one does.
   */
  fields(actor: Actor, object: FilterObject, db: Executor = this.db): Promise<FilterFields> {
    const read = () => loadFilterFields(db, actor.companyId, this.sources[object]);
    if (db.isTransaction) return read();
    return this.rememberedFields.get(`${actor.companyId} ${object}`, read, { since: actor.arrivedAt });
  }

  /** What a filter of this type may name: its object's fields and the linked objects'. */
  private async scope(actor: Actor, type: FilterableType, db: Executor = this.db): Promise<FilterScope> {
    const object = FILTER_OBJECTS[type];
    const related: NonNullable<FilterScope['related']> = {};
    for (const [other, via] of Object.entries(RELATED_OBJECTS[type]) as [FilterObject, string][]) {
      related[other] = { fields: await this.fields(actor, other, db), table: OBJECT_TABLES[other], via };
    }
    return { object, fields: await this.fields(actor, object, db), related };
  }

  private async checkedTree(actor: Actor, type: FilterableType, raw: unknown, db: Executor = this.db): Promise<ConditionGroup> {
    let conditions = raw;
    if (typeof raw === 'string') {
      try {
        conditions = JSON.parse(raw);
      } catch {
        throw invalid('conditions must be a JSON object (or its JSON text)');
      }
    }
    const tree = parseConditionTree(conditions);
    conditionPredicate(tree, await this.scope(actor, type, db));
    return tree;
  }

  private async render(actor: Actor, row: FilterRow, includeFieldCode: boolean) {
    if (!includeFieldCode || !Object.hasOwn(FILTER_OBJECTS, row.type)) return renderFilterV1(row, actor, {});
    const scope = await this.scope(actor, row.type as FilterableType);
    const codes = (line: { object: string; field_id: string }) =>
      (line.object === scope.object ? scope.fields : scope.related?.[line.object]?.fields)?.find(line.field_id)?.key ?? null;
    return renderFilterV1(row, actor, { codes });
  }

  private async visibleFilter(db: Executor, actor: Actor, id: number): Promise<FilterRow> {
    const row = await filters.findFilter(db, actor.companyId, id);
    if (!row || !(await this.visibility(db, actor))(row)) throw filterNotFound(id);
    return row;
  }

  private async editableFilter(db: Executor, actor: Actor, id: number): Promise<FilterRow> {
    const row = await this.visibleFilter(db, actor, id);
    if (!actor.isAdmin && row.user_id !== actor.userId) throw forbidden(`Filter ${id} belongs to another user`, 'Only its owner or an admin may change or delete a filter.');
    return row;
  }

  /** Whether the caller sees a filter: the records' rule with the filter's owner as owner, no followers. */
  private async visibility(db: Executor, actor: Actor): Promise<(row: FilterRow) => boolean> {
    if (actor.isAdmin) return () => true;
    const [memberships, groups] = await Promise.all([groupMemberships(db, actor.companyId), listGroups(db, actor.companyId)]);
    const tree = { parentOf: new Map(groups.map((g) => [g.id, g.parent_id ?? TOP_GROUP])) };
    const viewer = { userId: actor.userId, isAdmin: false, groupId: memberships.get(actor.userId) ?? TOP_GROUP };
    return (row) => userMaySee(viewer, { owner_id: row.user_id, visible_to: row.visible_to }, memberships.get(row.user_id) ?? TOP_GROUP, [], tree);
  }
}

function visibleTo(raw: number | string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const level = Number(raw);
  if (!VISIBLE_TO.has(level)) throw invalid(`visible_to must be 1, 3, 5 or 7; got ${JSON.stringify(raw)}`);
  return level;
}

function filterNotFound(id: number) {
  return notFound('Filter not found', `No filter with id ${id} exists in this company, or it is not shared with you.`);
}
