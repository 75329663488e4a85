import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../executor.js';
import type { PersonFieldOptionsTable, PersonFieldsTable } from '../schema.js';

export type PersonFieldRow = Selectable<PersonFieldsTable>;
export type NewPersonFieldRow = Insertable<PersonFieldsTable>;
export type PersonFieldChanges = Updateable<PersonFieldsTable>;
export type PersonFieldOptionRow = Selectable<PersonFieldOptionsTable>;
export type NewPersonFieldOptionRow = Insertable<PersonFieldOptionsTable>;

/** Whose fields: the table holds the fields of persons, organizations and deals (migration 017). */
export type FieldEntityName = 'person' | 'organization' | 'deal';

/** Every field of the company's entity, deleted ones included (their keys are still recognised), in id order. */
export async function listFieldRows(db: Executor, companyId: number, entity: FieldEntityName = 'person'): Promise<PersonFieldRow[]> {
  return db.selectFrom('person_fields').selectAll().where('company_id', '=', companyId).where('entity', '=', entity).orderBy('id').execute();
}

/** Whether the company has a live custom field that every person must have a value for. */
export async function hasMandatoryCustomField(db: Executor, companyId: number, entity: FieldEntityName = 'person'): Promise<boolean> {
  const rows = await db
    .selectFrom('person_fields')
    .select('id')
    .where('company_id', '=', companyId)
    .where('entity', '=', entity)
    .where('is_custom', '=', 1)
    .where('mandatory_flag', '=', 1)
    .where('deleted_time', 'is', null)
    .limit(1)
    .execute();
  return rows.length > 0;
}

export async function listOptionRows(db: Executor, companyId: number, entity: FieldEntityName = 'person'): Promise<PersonFieldOptionRow[]> {
  const fieldIds = db.selectFrom('person_fields').select('id').where('company_id', '=', companyId).where('entity', '=', entity);
  return db
    .selectFrom('person_field_options')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('field_id', 'in', fieldIds)
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
    .onConflict((oc) => oc.columns(['company_id', 'entity', 'field_key']).doNothing())
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

/** The live custom person fields of a company whose type is one of `types`, in id order. */
export async function customFieldsOfTypes(
  db: Executor,
  companyId: number,
  types: readonly string[],
  entity: FieldEntityName = 'person',
): Promise<Array<{ key: string; type: string }>> {
  const rows = await db
    .selectFrom('person_fields')
    .select(['field_key', 'field_type'])
    .where('company_id', '=', companyId)
    .where('entity', '=', entity)
    .where('is_custom', '=', 1)
    .where('deleted_time', 'is', null)
    .where('field_type', 'in', types)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ key: r.field_key, type: r.field_type }));
}
