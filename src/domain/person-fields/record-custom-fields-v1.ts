import type { Executor } from '../../store/executor.js';
import { customFieldsFromV1, customFieldsToV1 } from './custom-fields-v1.js';
import { loadFields } from './definitions.js';
import type { FieldEntity } from './entities.js';

/** The v1 flat custom keys of one entity's records, with the company's definitions read once (per request). */
export interface RecordCustomFieldsV1 {
  /** Every live custom field of the entity as a flat `<40 hex>` key (and `<key>_<part>` keys), null when unset. */
  toV1(row: { custom_fields: string }): Record<string, unknown>;
  /**
   * The flat custom keys of a v1 body as the v2 `custom_fields` object the services take (undefined when the body
   * has none), and the keys it consumed; a 40-hex key that names no field of the entity is a 400.
   */
  fromV1(body: Readonly<Record<string, unknown>>): { customFields: Record<string, unknown> | undefined; consumed: Set<string> };
}

/**
 * For v1 organization and deal routes: what `custom-fields-v1.ts` does for persons, bound to the entity's fields.
 * Load once per request, then call per row: `(await recordCustomFieldsV1(db, companyId, 'deal')).toV1(row)`.
 */
export async function recordCustomFieldsV1(db: Executor, companyId: number, entity: FieldEntity): Promise<RecordCustomFieldsV1> {
  const definitions = await loadFields(db, companyId, entity);
  return {
    toV1: (row) => customFieldsToV1(definitions, JSON.parse(row.custom_fields) as Record<string, unknown>),
    fromV1: (body) => customFieldsFromV1(definitions, body),
  };
}
