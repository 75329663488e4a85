import type { Executor } from '../executor.js';
import { lockedForUpdate } from '../row-lock.js';
import type { PersonRow } from './persons.repository.js';
import { PERSON_ROW_COLUMNS } from '../person-row-columns.js';

const BATCH = 500;

/**
 * Live persons (other than `exceptIds`) whose custom_fields hold `personId` under one of `keys`, in id order after
 * `afterId`, one batch, locked until the transaction ends. custom_fields is JSON.stringify output, so a stored
 * reference reads exactly `"<key>":<id>` followed by `,` or `}`; a text value containing that spelling has its
 * quotes escaped and does not match. Dialect-neutral LIKE, scanning the company's rows: merges are rare.
 */
export async function personsReferencing(
  db: Executor,
  companyId: number,
  keys: readonly string[],
  personId: number,
  exceptIds: readonly number[],
  afterId: number,
): Promise<PersonRow[]> {
  if (keys.length === 0) return [];
  const query = db
    .selectFrom('persons')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('deleted_time', 'is', null)
    .where('id', '>', afterId)
    .where('id', 'not in', [...exceptIds])
    .where((eb) => eb.or(keys.flatMap((key) => [eb('custom_fields', 'like', `%"${key}":${personId},%`), eb('custom_fields', 'like', `%"${key}":${personId}}%`)])))
    .orderBy('id')
    .limit(BATCH);
  return lockedForUpdate(db, query).execute();
}

/** Live persons by id, locked until the transaction ends (the ones an unmerge points back). */
export async function livePersonsForUpdate(db: Executor, companyId: number, ids: readonly number[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  const query = db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('company_id', '=', companyId).where('deleted_time', 'is', null).where('id', 'in', [...ids]).orderBy('id');
  return lockedForUpdate(db, query).execute();
}
