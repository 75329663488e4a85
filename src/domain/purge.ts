import { now as clockNow } from './clock.js';
import type { Kysely } from 'kysely';
import { purgeDeletedDeals } from '../store/repositories/deals.repository.js';
import { purgeDeletedNotes } from '../store/repositories/notes.repository.js';
import { purgeDeletedActivities } from '../store/repositories/activities.repository.js';
import { purgeDeletedOrganizations } from '../store/repositories/organizations.repository.js';
import { purgeDeletedPersons } from '../store/repositories/persons.repository.js';
import type { Database } from '../store/schema.js';
import { toStoredTime } from './time.js';

/** How long a deleted person, organization, deal, note or activity can still be found by support tooling before it is gone for good. */
export const RETENTION_DAYS = 30;

export async function purgeDeleted(db: Kysely<Database>, now = new Date(clockNow())): Promise<{ persons: number; organizations: number; deals: number; notes: number; activities: number }> {
  const before = toStoredTime(new Date(now.getTime() - RETENTION_DAYS * 86_400_000));
  return db.transaction().execute(async (trx) => ({
    persons: await purgeDeletedPersons(trx, before),
    organizations: await purgeDeletedOrganizations(trx, before),
    // A purged person's or organization's deals stay, unlinked (the foreign keys set null); deleted deals go.
    deals: await purgeDeletedDeals(trx, before),
    // A purged person's, organization's or deal's notes stay unlinked; deleted notes go.
    notes: await purgeDeletedNotes(trx, before),
    // Deleted activities go too; those of a purged person, organization or deal stay unlinked.
    activities: await purgeDeletedActivities(trx, before),
  }));
}
