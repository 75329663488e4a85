import type { FilterRow } from '../../store/repositories/filters.repository.js';
import { toV1Time } from '../time.js';
import { type ConditionGroup, type FilterCondition, isGroup } from './filter-conditions.js';

/** The v1 filter object; `conditions` only where Pipedrive sends them (one filter, a create, an update). */
export function renderFilterV1(row: FilterRow, viewer: { userId: number; isAdmin: boolean }, conditions?: { codes?: FieldCodes }) {
  const filter: Record<string, unknown> = {
    id: row.id,
    name: row.name,
    filter_code: null,
    is_editable: viewer.isAdmin || viewer.userId === row.user_id,
    active_flag: row.deleted_time === null,
    type: row.type,
    temporary_flag: row.temporary_flag === 1,
    user_id: row.user_id,
    add_time: toV1Time(row.add_time),
    update_time: toV1Time(row.update_time),
    visible_to: String(row.visible_to),
    last_used_time: null,
    custom_view_id: null,
  };
  if (conditions) filter.conditions = renderGroup(JSON.parse(row.conditions) as ConditionGroup, conditions.codes);
  return filter;
}

/** A condition line's field key, for include_field_code. */
type FieldCodes = (line: { object: string; field_id: string }) => string | null;

function renderGroup(group: ConditionGroup, codes: FieldCodes | undefined): unknown {
  return { glue: group.glue, conditions: group.conditions.map((node) => (isGroup(node) ? renderGroup(node, codes) : renderLine(node, codes))) };
}

function renderLine(line: FilterCondition, codes: FieldCodes | undefined) {
  const rendered: Record<string, unknown> = { ...line, json_value_flag: false };
  if (codes) rendered.field_code = codes(line);
  return rendered;
}
