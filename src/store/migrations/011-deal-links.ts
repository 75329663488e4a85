import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // Deleting a person or an organization now unlinks its live deals at once; deals of persons and organizations
  // deleted before lose the link here, as the purge would unlink them.
  const deletedPersons = db.selectFrom('persons').select('id').where('deleted_time', 'is not', null);
  const deletedOrganizations = db.selectFrom('organizations').select('id').where('deleted_time', 'is not', null);
  await db.updateTable('deals').set({ person_id: null }).where('deleted_time', 'is', null).where('person_id', 'in', deletedPersons).execute();
  await db.updateTable('deals').set({ org_id: null }).where('deleted_time', 'is', null).where('org_id', 'in', deletedOrganizations).execute();
}
