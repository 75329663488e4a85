import type { Executor } from '../executor.js';
import type { DealRow } from './deals.repository.js';
import type { OrganizationRow } from './organizations.repository.js';
import type { PersonRow } from './persons.repository.js';

/** The tables whose rows carry `custom_fields` and `label_ids` JSON: what a deleted field or option is removed from. */
export interface ValueTables {
  persons: PersonRow;
  organizations: OrganizationRow;
  deals: DealRow;
}
export type ValueTable = keyof ValueTables;

const REWRITE_BATCH = 500;

/**
 * Rows (deleted ones too) whose stored custom_fields mention `key`, in id order after `afterId`, one batch.
 * The LIKE is only a pre-filter: custom keys are 40 hexadecimal characters, so it matches no other key's text.
 */
export async function rowsMentioningCustomKey<T extends ValueTable>(db: Executor, table: T, companyId: number, key: string, afterId: number): Promise<ValueTables[T][]> {
  const rows = await db
    .selectFrom(table as 'organizations')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('custom_fields', 'like', `%"${key}"%`)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(REWRITE_BATCH)
    .execute();
  return rows as unknown as ValueTables[T][];
}

/** Rows (deleted ones too) with at least one label, in id order after `afterId`, one batch. */
export async function rowsWithLabels<T extends ValueTable>(db: Executor, table: T, companyId: number, afterId: number): Promise<ValueTables[T][]> {
  const rows = await db
    .selectFrom(table as 'organizations')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('label_ids', '<>', '[]')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(REWRITE_BATCH)
    .execute();
  return rows as unknown as ValueTables[T][];
}

export async function updateRowValues(
  db: Executor,
  table: ValueTable,
  companyId: number,
  id: number,
  changes: { custom_fields?: string; label_ids?: string },
): Promise<void> {
  await db.updateTable(table as 'organizations').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}
