import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import { precompiledWrites, rowsShape } from '../precompiled.js';
import type { PersonChangesTable } from '../schema.js';

export type PersonChangeRow = Selectable<PersonChangesTable>;
export type NewPersonChangeRow = Insertable<PersonChangesTable>;

// Every PATCH writes a row per field it changed: compiled once per number of rows and their columns.
const insertRows = precompiledWrites((db, p: { rows: NewPersonChangeRow[] }) => [db.insertInto('person_changes').values(p.rows)], {
  shape: (p) => rowsShape(p.rows),
  spread: ['rows'],
});

export async function insertPersonChanges(db: Executor, rows: NewPersonChangeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(db, { rows });
}

/** A keyset page of one person's history entries of the given kinds (`offset` for v1 clients that send `start`). */
export async function listPersonChangesPage(
  db: Executor,
  companyId: number,
  personId: number,
  kinds: string[],
  page: KeysetPage,
  offset = 0,
): Promise<PersonChangeRow[]> {
  const query = db
    .selectFrom('person_changes')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .where('kind', 'in', kinds);
  const paged = keysetPage(query, page);
  return (offset > 0 ? paged.offset(offset) : paged).execute();
}

/** The newest history entries of a person, newest first (the update feed merges them with other sources). */
export async function recentPersonChanges(
  db: Executor,
  companyId: number,
  personId: number,
  filter: { kinds: string[]; includeCustom: boolean },
  limit: number,
): Promise<PersonChangeRow[]> {
  if (filter.kinds.length === 0) return [];
  let query = db
    .selectFrom('person_changes')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('person_id', '=', personId)
    .where('kind', 'in', filter.kinds);
  if (!filter.includeCustom) query = query.where('is_custom', '=', 0);
  return query.orderBy('time', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
