import type { PersonsTable } from './schema.js';

/**
 * Every column of `persons`, named: reads list them instead of `select *`, so a column a newer release's migration
 * adds during a rolling deploy does not change their result (PostgreSQL refuses a named statement whose `*` now
 * means more columns, and one inside a transaction cannot be retried; see postgres-client.ts).
 */
export const PERSON_ROW_COLUMNS = [
  'id', 'company_id', 'name', 'first_name', 'last_name', 'owner_id', 'org_id', 'visible_to', 'label_ids', 'picture_id', 'emails', 'phones', 'im',
  'postal_address', 'notes', 'birthday', 'job_title', 'marketing_status', 'marketing_status_changed', 'custom_fields', 'add_time', 'update_time',
  'deleted_time',
] as const satisfies readonly (keyof PersonsTable)[];

// Fails to compile when PersonsTable gains a column this list does not name.
type Unlisted = Exclude<keyof PersonsTable, (typeof PERSON_ROW_COLUMNS)[number]>;
export const everyPersonColumnListed: [Unlisted] extends [never] ? true : never = true;
