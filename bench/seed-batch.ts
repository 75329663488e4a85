import { identityOf } from '../src/domain/identity/person-identity.ts';
import type { PersonValues } from '../src/domain/person-model/person-input.ts';
import { columnsFromValues, contactRows } from '../src/domain/person-model/person-row.ts';
import { indexNewPersons } from '../src/domain/search/search-index.ts';
import type { Store } from '../src/store/db.ts';
import type { NewMatchKeyRow } from '../src/store/repositories/person-match-keys.repository.ts';
import { insertImportedContacts, insertImportedKeys, insertImportedPersons, refreshImportStatistics } from '../src/store/repositories/person-transfer.repository.ts';
import type { PersonRow } from '../src/store/repositories/persons.repository.ts';

/** A person to seed, as the import holds one before writing it: its columns, contact rows and match keys. */
export interface SeedPerson {
  columns: ReturnType<typeof columnsFromValues>;
  contacts: ReturnType<typeof contactRows>;
  keys: NewMatchKeyRow[];
}

/** Built by the domain functions the API's create and the import use, so the rows are what they would store. */
export function seedPersonOf(values: PersonValues): SeedPerson {
  const contacts = contactRows(values);
  return { columns: columnsFromValues(values), contacts, keys: identityOf(values, undefined, contacts).matchKeys };
}

export type SeedBatchWriter = (batch: readonly SeedPerson[]) => Promise<number[]>;

/**
 * Writes batches in one transaction each through the store functions `personsd import` writes with: the persons,
 * their contact rows, their search rows and their match keys; returns the new ids in the batch's order. As the
 * import does, the planner's statistics are refreshed after batches 1, 2, 4, 8, …, so they keep up with the tables'
 * growth (on SQLite, statistics taken of the empty tables before the load made it 12% slower). The phone keys come
 * from the batch, as the import passes them: reading them back from person_contacts is planned without statistics
 * while the table grows (autovacuum may be off) and then costs O(rows so far).
 */
export function seedBatchWriter(store: Store, companyId: number): SeedBatchWriter {
  let batches = 0;
  return async (batch) => {
    const ids = await writeSeedBatch(store, companyId, batch);
    batches += 1;
    if ((batches & (batches - 1)) === 0) await refreshImportStatistics(store.db);
    return ids;
  };
}

function writeSeedBatch(store: Store, companyId: number, batch: readonly SeedPerson[]): Promise<number[]> {
  return store.db.transaction().execute(async (trx) => {
    const ids = await insertImportedPersons(trx, batch.map((p) => ({ ...p.columns, company_id: companyId })));
    await insertImportedContacts(trx, batch.flatMap((p, k) => p.contacts.map((c) => ({ ...c, company_id: companyId, person_id: ids[k] }))));
    const phoneKeys = new Map(batch.map((p, k) => [ids[k], p.contacts.filter((c) => c.kind === 'phone').map((c) => c.normalized)]));
    const rows = batch.map((p, k) => ({ ...p.columns, id: ids[k], company_id: companyId, picture_id: null, deleted_time: null }) as PersonRow);
    await indexNewPersons(trx, companyId, rows, undefined, phoneKeys);
    await insertImportedKeys(trx, batch.flatMap((p, k) => p.keys.map((key) => ({ ...key, company_id: companyId, person_id: ids[k] }))));
    return ids;
  });
}
