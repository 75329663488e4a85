import { type TogetherWrite, dialectOf } from '../dialect/index.js';
import type { Executor } from '../executor.js';
import { precompiledWrites, rowsShape } from '../precompiled.js';
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

type Params = PersonIdentityRows & { companyId: number; personId: number };

/** The statements of one write; the rows' values are placeholders when it runs (see precompiled.ts). */
function identityWrites(db: Executor, p: Params, replace: boolean): TogetherWrite[] {
  const writes: TogetherWrite[] = [];
  if (p.contacts) {
    if (replace) {
      const rowsOfPerson = db.deleteFrom('person_contacts').where('company_id', '=', p.companyId).where('person_id', '=', p.personId);
      writes.push(p.contactKinds ? rowsOfPerson.where('kind', 'in', [...p.contactKinds]) : rowsOfPerson);
    }
    if (p.contacts.length > 0) {
      writes.push(db.insertInto('person_contacts').values(p.contacts.map((c) => ({ ...c, company_id: p.companyId, person_id: p.personId }))));
    }
  }
  if (p.matchKeys) {
    if (replace) writes.push(db.deleteFrom('person_match_keys').where('company_id', '=', p.companyId).where('person_id', '=', p.personId));
    if (p.matchKeys.length > 0) {
      writes.push(db.insertInto('person_match_keys').values(p.matchKeys.map((k) => ({ ...k, company_id: p.companyId, person_id: p.personId }))));
    }
  }
  return writes;
}

// A create and a PATCH build these statements on every call otherwise: compiled once per shape (which parts, how
// many rows), replacing (an update) or not.
const shape = (p: Params) => `${rowsShape(p.contacts)}|${p.contactKinds?.length ?? '-'}|${rowsShape(p.matchKeys)}`;
const options = { shape, spread: ['contacts', 'contactKinds', 'matchKeys'] as const };
const replacing = precompiledWrites((db, p: Params) => dialectOf(db).togetherStatements(identityWrites(db, p, true)), options);
const adding = precompiledWrites((db, p: Params) => dialectOf(db).togetherStatements(identityWrites(db, p, false)), options);

/**
 * Writes a person's contact rows and match keys, replacing the person's own of each part given when `replace` (an
 * update), in one round trip on PostgreSQL (a PATCH of the phones: four statements before).
 */
export async function writePersonIdentityRows(db: Executor, companyId: number, personId: number, rows: PersonIdentityRows, replace: boolean): Promise<void> {
  await (replace ? replacing : adding)(db, { ...rows, companyId, personId });
}
