import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // The merge journal also keeps the people-field references to the merged person that the merge repointed to the
  // survivor (JSON `[{person_id, key}]`), so an unmerge can point them back. Null for merges journaled before.
  await db.schema.alterTable('person_merges').addColumn('repointed_references', 'text').execute();

  // Deleting an organization now unlinks its persons at once; persons of organizations deleted before lose the link
  // here (as the purge would unlink them), with the match keys that paired their name with the organization.
  const deletedOrganizations = db.selectFrom('organizations').select('id').where('deleted_time', 'is not', null);
  const linkedPersons = db.selectFrom('persons').select('id').where('org_id', 'in', deletedOrganizations);
  await db.deleteFrom('person_match_keys').where('rule', '=', 'org_name').where('person_id', 'in', linkedPersons).execute();
  await db.updateTable('persons').set({ org_id: null }).where('org_id', 'in', deletedOrganizations).execute();
}
