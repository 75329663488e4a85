import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * The merge journal also keeps the people-field references to the merged person that the merge repointed to the
 * survivor (JSON `[{person_id, key}]`), so an unmerge can point them back. Null for merges journaled before.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('person_merges').addColumn('repointed_references', 'text').execute();
}
