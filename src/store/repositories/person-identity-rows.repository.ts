import { type TogetherWrite, dialectOf } from '../dialect/index.js';
import type { Executor } from '../executor.js';
import type { NewMatchKeyRow } from './person-match-keys.repository.js';
import type { NewContactRow } from './persons.repository.js';

/** What a write stores of a person's identity; a part left out is left as it is. */
export interface PersonIdentityRows {
  /** The person_contacts rows: each email, phone and IM handle with its canonical key. */
  contacts?: NewContactRow[];
  /** The kinds of contact (email, phone, im) whose rows `contacts` replaces: every kind when absent. */
  contactKinds?: readonly string[];
  matchKeys?: NewMatchKeyRow[];
}

/**
 * Writes a person's contact rows and match keys, replacing the person's own of each part given when `replace` (an
 * update), in one round trip on PostgreSQL (a PATCH of the phones: four statements before).
 */
export async function writePersonIdentityRows(db: Executor, companyId: number, personId: number, rows: PersonIdentityRows, replace: boolean): Promise<void> {
  const writes: TogetherWrite[] = [];
  if (rows.contacts) {
    if (replace) {
      const rowsOfPerson = db.deleteFrom('person_contacts').where('company_id', '=', companyId).where('person_id', '=', personId);
      writes.push(rows.contactKinds ? rowsOfPerson.where('kind', 'in', [...rows.contactKinds]) : rowsOfPerson);
    }
    if (rows.contacts.length > 0) {
      writes.push(db.insertInto('person_contacts').values(rows.contacts.map((c) => ({ ...c, company_id: companyId, person_id: personId }))));
    }
  }
  if (rows.matchKeys) {
    if (replace) writes.push(db.deleteFrom('person_match_keys').where('company_id', '=', companyId).where('person_id', '=', personId));
    if (rows.matchKeys.length > 0) {
      writes.push(db.insertInto('person_match_keys').values(rows.matchKeys.map((k) => ({ ...k, company_id: companyId, person_id: personId }))));
    }
  }
  await dialectOf(db).writeTogether(db, writes);
}
