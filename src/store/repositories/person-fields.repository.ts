import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../executor.js';
import type { PersonFieldOptionsTable, PersonFieldsTable } from '../schema.js';
import type { PersonRow } from './persons.repository.js';

export type PersonFieldRow = Selectable<PersonFieldsTable>;
export type NewPersonFieldRow = Insertable<PersonFieldsTable>;
export type PersonFieldChanges = Updateable<PersonFieldsTable>;
export type PersonFieldOptionRow = Selectable<PersonFieldOptionsTable>;
export type NewPersonFieldOptionRow = Insertable<PersonFieldOptionsTable>;

/** Every field of the company, deleted ones included (their keys are still recognised), in id order. */
export async function listFieldRows(db: Executor, companyId: number): Promise<PersonFieldRow[]> {
  return db.selectFrom('person_fields').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
}

/** Whether the company has a live custom field that every person must have a value for. */
export async function hasMandatoryCustomField(db: Executor, companyId: number): Promise<boolean> {
  const rows = await db
    .selectFrom('person_fields')
    .select('id')
    .where('company_id', '=', companyId)
    .where('is_custom', '=', 1)
    .where('mandatory_flag', '=', 1)
    .where('deleted_time', 'is', null)
    .limit(1)
    .execute();
  return rows.length > 0;
}

export async function listOptionRows(db: Executor, companyId: number): Promise<PersonFieldOptionRow[]> {
  return db
    .selectFrom('person_field_options')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('field_id')
    .orderBy('order_nr')
    .orderBy('id')
    .execute();
}

/** Inserts the fields that do not exist yet (by key); returns the ids and keys of those this call inserted. */
export async function insertMissingFields(db: Executor, rows: NewPersonFieldRow[]): Promise<{ id: number; field_key: string }[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('person_fields')
    .values(rows)
    .onConflict((oc) => oc.columns(['company_id', 'field_key']).doNothing())
    .returning(['id', 'field_key'])
    .execute();
}

export async function insertField(db: Executor, row: NewPersonFieldRow): Promise<number> {
  const inserted = await db.insertInto('person_fields').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateField(db: Executor, companyId: number, id: number, changes: PersonFieldChanges): Promise<void> {
  await db.updateTable('person_fields').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export async function insertOptions(db: Executor, rows: NewPersonFieldOptionRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('person_field_options').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

export async function updateOption(
  db: Executor,
  companyId: number,
  id: number,
  changes: Updateable<PersonFieldOptionsTable>,
): Promise<void> {
  await db.updateTable('person_field_options').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export async function deleteOptions(db: Executor, companyId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('person_field_options').where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

const REWRITE_BATCH = 500;

/**
 * Persons (deleted ones too) whose stored custom_fields mention `key`, in id order after `afterId`, one batch.
 * The LIKE is only a pre-filter: custom keys are 40 hex characters, so it matches no other key's text.
 */
export async function personsMentioningCustomKey(db: Executor, companyId: number, key: string, afterId: number): Promise<PersonRow[]> {
  return db
    .selectFrom('persons')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('custom_fields', 'like', `%"${key}"%`)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(REWRITE_BATCH)
    .execute();
}

/** Persons (deleted ones too) with at least one label, in id order after `afterId`, one batch. */
export async function personsWithLabels(db: Executor, companyId: number, afterId: number): Promise<PersonRow[]> {
  return db
    .selectFrom('persons')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('label_ids', '<>', '[]')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(REWRITE_BATCH)
    .execute();
}

/** The live custom person fields of a company whose type is one of `types`, in id order. */
export async function customFieldsOfTypes(db: Executor, companyId: number, types: readonly string[]): Promise<Array<{ key: string; type: string }>> {
  const rows = await db
    .selectFrom('person_fields')
    .select(['field_key', 'field_type'])
    .where('company_id', '=', companyId)
    .where('is_custom', '=', 1)
    .where('deleted_time', 'is', null)
    .where('field_type', 'in', types)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ key: r.field_key, type: r.field_type }));
}
