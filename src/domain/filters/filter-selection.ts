import type { Executor } from '../../store/executor.js';
import type { FilterPredicate } from '../../store/filters/filter-predicate.js';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import type { FilterableType } from './filter-fields.js';

/** What a list service needs of the filters: the predicate of a saved filter (FiltersService.selection). */
export interface FilterSelections {
  selection(actor: Actor, filterId: number, type: FilterableType, db?: Executor): Promise<FilterPredicate>;
}

/** The list narrowings a filter replaces: with `filter_id`, Pipedrive ignores ids, owner, person, organization and deal. */
interface Narrowable {
  predicate?: FilterPredicate;
  ids?: number[];
  ownerId?: number;
  orgId?: number;
  personId?: number;
  dealId?: number;
}

/**
 * A list narrowed to records carrying a label (personsd's `label_id` list parameter): one more leaf of the same SQL
 * translation saved filters use, AND-ed with the saved filter's predicate when there is one.
 */
export function withLabel<F extends { predicate?: FilterPredicate }>(filter: F, labelId: number | undefined): F {
  if (labelId === undefined) return filter;
  const has: FilterPredicate = { kind: 'leaf', target: { kind: 'json-set', column: 'label_ids', path: [] }, test: { op: 'has', id: labelId } };
  return { ...filter, predicate: filter.predicate ? { kind: 'and', parts: [filter.predicate, has] } : has };
}

/**
 * A list filter with `filter_id` applied: the filter's predicate in, the parameters Pipedrive ignores beside a
 * filter out. Every v2 list that takes `filter_id` (persons, organizations, deals, activities) and v1's persons,
 * organizations and deals call this.
 */
export async function withFilterId<F extends Narrowable>(
  selections: FilterSelections | undefined,
  actor: Actor,
  filter: F,
  filterId: number | undefined,
  type: FilterableType,
): Promise<F> {
  if (filterId === undefined) return filter;
  if (!selections) throw invalid('filter_id is not supported on this list');
  const predicate = await selections.selection(actor, filterId, type);
  return { ...filter, predicate, ids: undefined, ownerId: undefined, orgId: undefined, personId: undefined, dealId: undefined };
}
