import type { Executor } from '../../store/executor.js';
import type { FilterTarget } from '../../store/filters/filter-predicate.js';

/** How a field is compared, which decides its operators and the values they take (filter-operators.ts). */
export type FieldKind = 'text' | 'number' | 'date' | 'time' | 'option' | 'set' | 'status' | 'address';

/** A field a filter condition may name, and where its value lives. */
export interface FilterField {
  /** What `field_id` names: the field's id (person fields), or its key where the entity has no field rows yet. */
  id: string;
  key: string;
  name: string;
  kind: FieldKind;
  /** For `address` fields, the JSON object holding the parts; `extra_value` picks the part (default: the full address). */
  target: FilterTarget;
  /** A `time` stored as HH:MM (activities): compared without seconds. */
  minutes?: true;
}

/**
 * Where the fields of one filter type come from. Each type has a list of sources; an entity that gains custom
 * fields adds a source (built with customFilterField) to its list in services.ts, and nothing else changes.
 */
export type FilterFieldSource = (db: Executor, companyId: number) => Promise<FilterField[]>;
