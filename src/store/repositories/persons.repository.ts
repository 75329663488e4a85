import { type ExpressionBuilder, type Insertable, type Selectable, type SelectQueryBuilder, type Updateable, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { markDeleted } from '../soft-delete.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import { madeOnce } from '../made-once.js';
import { keysOf, precompiled } from '../precompiled.js';
import { coalescedById } from '../coalesced-reads.js';
import { lockedForShare, lockedForUpdate } from '../row-lock.js';
import type { Database, PersonContactsTable, PersonsTable } from '../schema.js';
import { dialectOf } from '../dialect/index.js';
import type { FilterPredicate } from '../filters/filter-predicate.js';
import { predicateSql } from '../filters/predicate-sql.js';
import { PERSON_ROW_COLUMNS } from '../person-row-columns.js';

export type PersonRow = Selectable<PersonsTable>;
export type NewPersonRow = Insertable<PersonsTable>;
export type PersonChanges = Updateable<PersonsTable>;
export type NewContactRow = Omit<Insertable<PersonContactsTable>, 'company_id' | 'person_id'>;

export interface PersonListFilter {
  ids?: number[];
  ownerId?: number;
  orgId?: number;
  /** The person linked to this deal (a deal has at most one). */
  dealId?: number;
  /** Names starting with any of these characters (v1's first_char: the letter in both cases). */
  firstChars?: string[];
  updatedSince?: string;
  updatedUntil?: string;
  /** A saved filter's conditions (filter_id), evaluated in SQL. */
  predicate?: FilterPredicate;
}

// Every read by id and every write runs these; compiled once (see precompiled.ts) where their shape is fixed.
/** The live person by id: every read of one person starts here. */
const livePersonById = (db: Executor, companyId: number, id: number) =>
  db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('id', '=', id).where('company_id', '=', companyId).where('deleted_time', 'is', null);

const findPersonQuery = precompiled((db, p: { companyId: number; id: number }) => livePersonById(db, p.companyId, p.id));
// PostgreSQL only: one statement text for any number of ids.
const findPersonsQuery = precompiled((db, p: { companyId: number; ids: number[] }) =>
  db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where(sql<boolean>`id = any(${p.ids}::integer[])`).where('company_id', '=', p.companyId).where('deleted_time', 'is', null),
);
/** Concurrent reads by id share a statement on PostgreSQL (coalesced-reads.ts). */
const personsById = coalescedById(
  async (db, companyId, id) => (await findPersonQuery(db, { companyId, id })).rows[0],
  async (db, companyId, ids) =>
    dialectOf(db).name === 'postgres'
      ? (await findPersonsQuery(db, { companyId, ids })).rows
      : db.selectFrom('persons').select(PERSON_ROW_COLUMNS).where('company_id', '=', companyId).where('id', 'in', ids).where('deleted_time', 'is', null).execute(),
);
const insertPersonQuery = precompiled((db, row: NewPersonRow) => db.insertInto('persons').values(row).returning(PERSON_ROW_COLUMNS), { shape: keysOf });
const findPersonForUpdateQuery = precompiled((db, p: { companyId: number; id: number }) => lockedForUpdate(db, livePersonById(db, p.companyId, p.id)));
/** The row's new values, with the key of the row to update under names no column has. */
type PersonUpdate = PersonChanges & { whereId: number; whereCompanyId: number };
const updatePersonQuery = precompiled(
  (db, { whereId, whereCompanyId, ...changes }: PersonUpdate) =>
    db.updateTable('persons').set(changes).where('id', '=', whereId).where('company_id', '=', whereCompanyId).returning(PERSON_ROW_COLUMNS),
  { shape: keysOf },
);

/** The live person, share-locked until the transaction ends: it cannot be deleted while a write links to it. */
export async function findPersonForShare(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<PersonRow | undefined> {
  const query = livePersonById(db, companyId, id);
  return lockedForShare(db, withVisibility(query, viewer)).executeTakeFirst();
}

/** The live person; with a viewer, only when the viewer may see it (without one: internal reads). */
export async function findPerson(db: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<PersonRow | undefined> {
  if (viewer === undefined || viewer.everything) return personsById.one(db, companyId, id);
  const query = livePersonById(db, companyId, id);
  return withVisibility(query, viewer).executeTakeFirst();
}

/** The live person, locked against other writers until the transaction ends; for read-modify-write. */
export async function findPersonForUpdate(trx: Executor, companyId: number, id: number, viewer?: RecordViewer): Promise<PersonRow | undefined> {
  if (viewer === undefined || viewer.everything) return (await findPersonForUpdateQuery(trx, { companyId, id })).rows[0];
  const query = livePersonById(trx, companyId, id);
  return lockedForUpdate(trx, withVisibility(query, viewer)).executeTakeFirst();
}

/** Inserts the person and answers the stored row (what a read of it would). */
export async function insertPerson(db: Executor, row: NewPersonRow): Promise<PersonRow> {
  return (await insertPersonQuery(db, row)).rows[0];
}

export async function updatePerson(db: Executor, companyId: number, id: number, changes: PersonChanges): Promise<void> {
  await db.updateTable('persons').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

/**
 * The columns of persons' secondary indexes (migration 001) that an update of a person usually leaves as they were.
 * SQLite rewrites an index's entry whenever an UPDATE sets one of the index's columns, even to the value it had:
 * setting every column cost a PATCH a page written to each of these three indexes (a write-ahead log taken apart at
 * 1,000,000 persons: 3 of 20 pages a PATCH). PostgreSQL adds every index's entry for a new row version either way.
 */
const INDEXED_COLUMNS = ['owner_id', 'org_id', 'add_time'] as const;

/**
 * Updates a person the caller read and holds locked (`before`), as `updatePersonReturning` does, leaving out of the
 * statement the indexed columns whose values do not change. At most 8 statement shapes: every other column is set.
 */
export async function updateLockedPerson(db: Executor, before: PersonRow, changes: PersonChanges): Promise<PersonRow> {
  const set: PersonChanges = { ...changes };
  for (const column of INDEXED_COLUMNS) if (set[column] === before[column]) delete set[column];
  return updatePersonReturning(db, before.company_id, before.id, set);
}

/** Updates the person and answers the stored row, as a read of it after the update would (one statement, not two). */
export async function updatePersonReturning(db: Executor, companyId: number, id: number, changes: PersonChanges): Promise<PersonRow> {
  const [row] = (await updatePersonQuery(db, { ...changes, whereId: id, whereCompanyId: companyId })).rows;
  // The caller holds the row locked; a miss here is a bug, not a client's mistake.
  if (row === undefined) throw new Error(`person ${id} of company ${companyId} was not there to update`);
  return row;
}

export function markPersonDeleted(db: Executor, companyId: number, id: number, time: string): Promise<boolean> {
  return markDeleted(db, 'persons', companyId, id, time);
}

export async function listPersons(db: Executor, companyId: number, filter: PersonListFilter, page: KeysetPage, viewer?: RecordViewer): Promise<PersonRow[]> {
  return keysetPage(filteredPersons(db, companyId, filter, viewer).select(PERSON_ROW_COLUMNS), page).execute();
}

/** A listed person as its stored v2 JSON (person_docs, migration 027), with the keys its page is ordered by. */
export interface PersonDocRow {
  id: number;
  doc: string;
  add_time?: string;
  update_time?: string;
}

/** listPersons' page as v2 JSON texts, one column a row instead of every column. */
export async function listPersonDocs(db: Executor, companyId: number, filter: PersonListFilter, page: KeysetPage, viewer?: RecordViewer): Promise<PersonDocRow[]> {
  if (isWholeList(filter, viewer)) {
    const { value = 0, id = 0 } = page.after ?? {};
    return (await plainDocsPage(page)(db, { companyId, value, id })).rows as PersonDocRow[];
  }
  return (await keysetPage(docsOf(filteredPersons(db, companyId, filter, viewer), page), page).execute()) as PersonDocRow[];
}

// Every key of the filter: a key added to PersonListFilter without being added here fails the type-check.
const LIST_FILTER_KEYS: Record<keyof PersonListFilter, true> = {
  ids: true,
  ownerId: true,
  orgId: true,
  dealId: true,
  firstChars: true,
  updatedSince: true,
  updatedUntil: true,
  predicate: true,
};

/** Whether a list shows every live person of the company: a viewer who sees them all, and no filter narrowing them. */
const isWholeList = (filter: PersonListFilter, viewer?: RecordViewer) => (viewer === undefined || viewer.everything) && !narrowsList(filter);

/**
 * Whether the filter leaves out any of the company's live persons. Only its own keys count: callers pass their whole
 * list request, paging included.
 */
export function narrowsList(filter: PersonListFilter): boolean {
  return Object.keys(LIST_FILTER_KEYS).some((key) => filter[key as keyof PersonListFilter] !== undefined);
}

// A subquery rather than a join: it runs for the page's rows only, where PostgreSQL merge-joined every document up to
// the cursor's. The documents are keyed by company first (migrations 030 and 032), so the lookup names the company too.
const docsOf = <Q extends SelectQueryBuilder<Database, 'persons', object>>(query: Q, page: KeysetPage) =>
  query
    .select(['id', ...(page.sortBy === 'add_time' || page.sortBy === 'update_time' ? [page.sortBy] : [])])
    .select((eb: ExpressionBuilder<Database, 'persons'>) =>
      eb
        .selectFrom('person_docs')
        .select('doc')
        .whereRef('person_docs.company_id', '=', 'persons.company_id')
        .whereRef('person_docs.person_id', '=', 'persons.id')
        .as('doc'),
    );

/**
 * The unfiltered page of a viewer who sees every person, which every client's paging asks for: compiled once per
 * sort, direction, page size and whether it follows a cursor (at most a few thousand), as building it with Kysely
 * was about 7% of a list's CPU.
 */
const plainDocsPages = new Map<string, ReturnType<typeof plainDocsPageOf>>();

const plainDocsPage = (page: KeysetPage) => {
  const byCompany = page.sortBy === 'id';
  return madeOnce(plainDocsPages, `${byCompany} ${page.sortBy} ${page.direction} ${page.limit} ${page.after !== undefined}`, () =>
    byCompany ? companyDocsPageOf(page) : plainDocsPageOf(page),
  );
};

function plainDocsPageOf({ sortBy, direction, limit, after }: KeysetPage) {
  const following = after !== undefined;
  return precompiled((db, p: { companyId: number; value: string | number; id: number }) =>
    keysetPage(docsOf(filteredPersons(db, p.companyId, {}), { sortBy, direction, limit }), { sortBy, direction, limit, after: following ? { value: p.value, id: p.id } : undefined }),
  );
}

/** Sorted by id: one range of the documents, keyed in each company's id order with their live flag (migrations 030, 032). */
function companyDocsPageOf({ direction, limit, after }: KeysetPage) {
  const following = after !== undefined;
  return precompiled((db, p: { companyId: number; id: number }) =>
    keysetPage(
      db.selectFrom('person_docs').select(['person_id as id', 'doc']).where('company_id', '=', p.companyId).where('live', '=', 1),
      { sortBy: 'person_id', direction, limit, after: following ? { value: p.id, id: p.id } : undefined },
      'person_id',
    ),
  );
}

/** The company's live persons the viewer sees, narrowed by the list filters; the caller picks the columns. */
function filteredPersons(db: Executor, companyId: number, filter: PersonListFilter, viewer?: RecordViewer) {
  let query = withVisibility(db.selectFrom('persons').where('company_id', '=', companyId).where('deleted_time', 'is', null), viewer);
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  // Filtering by an organization or deal the viewer may not see finds nothing, as if it did not exist.
  if (filter.orgId !== undefined) {
    const orgId = filter.orgId;
    query = query.where('org_id', '=', orgId);
    if (viewer !== undefined && !viewer.everything) {
      query = query.where('org_id', 'in', (eb) =>
        withVisibility(eb.selectFrom('organizations').select('id').where('id', '=', orgId).where('company_id', '=', companyId), viewer, 'organizations'),
      );
    }
  }
  if (filter.dealId !== undefined) {
    const dealId = filter.dealId;
    query = query.where('id', 'in', (eb) =>
      withVisibility(
        eb.selectFrom('deals').select('person_id').where('id', '=', dealId).where('company_id', '=', companyId).where('deleted_time', 'is', null),
        viewer,
        'deals',
      ),
    );
  }
  if (filter.updatedSince !== undefined) query = query.where('update_time', '>=', filter.updatedSince);
  if (filter.updatedUntil !== undefined) query = query.where('update_time', '<', filter.updatedUntil);
  if (filter.firstChars) query = query.where(sql<string>`substr(name, 1, 1)`, 'in', filter.firstChars);
  if (filter.predicate) query = query.where(predicateSql(dialectOf(db), 'persons', filter.predicate, viewer));
  return query;
}

/** Removes persons deleted before `before` for good, with their contact rows. */
export async function purgeDeletedPersons(db: Executor, before: string): Promise<number> {
  const doomed = db.selectFrom('persons').select('id').where('deleted_time', '<', before);
  await db.deleteFrom('person_contacts').where('person_id', 'in', doomed).execute();
  const result = await db.deleteFrom('persons').where('deleted_time', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Live persons linked to an organization, in id order after `afterId`, one batch, locked until the transaction ends. */
export async function personsOfOrganizationForUpdate(trx: Executor, companyId: number, orgId: number, afterId: number, limit: number): Promise<PersonRow[]> {
  const query = trx
    .selectFrom('persons')
    .select(PERSON_ROW_COLUMNS)
    .where('company_id', '=', companyId)
    .where('org_id', '=', orgId)
    .where('deleted_time', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit);
  return lockedForUpdate(trx, query).execute();
}

/** The live persons among the ids. */
export function livePersons(db: Executor, companyId: number, ids: readonly number[]): Promise<PersonRow[]> {
  return personsById.many(db, companyId, ids);
}

/** Columns v1's `sort` may order persons by. */
export const PERSON_SORT_COLUMNS = ['id', 'name', 'first_name', 'last_name', 'add_time', 'update_time', 'owner_id', 'org_id', 'visible_to'] as const;
export type PersonSortColumn = (typeof PERSON_SORT_COLUMNS)[number];

export interface PersonOffsetPage {
  order: { field: PersonSortColumn; direction: 'asc' | 'desc' }[];
  start: number;
  limit: number;
}

/**
 * A page by offset (v1 lists), one row more than asked to tell whether another follows. Nulls sort last in both
 * directions on both dialects (SQLite and PostgreSQL disagree by default), and `id` ends every order.
 */
export async function listPersonsByOffset(db: Executor, companyId: number, filter: PersonListFilter, page: PersonOffsetPage, viewer?: RecordViewer): Promise<PersonRow[]> {
  let query = filteredPersons(db, companyId, filter, viewer).select(PERSON_ROW_COLUMNS);
  if (dialectOf(db).name === 'postgres' && isWholeList(filter, viewer) && page.order.every((k) => k.field === 'id')) {
    // PostgreSQL reads a skipped row to learn whether it is deleted; the live documents' key (migration 032) knows
    // without the rows, so the page's ids come from it and only they are read (at 1,000,000 persons and an offset
    // of 5,000: 0.5 ms against 5.1). SQLite skips along its index of the live persons without the rows already.
    const idDirection = page.order[0]?.direction ?? 'asc';
    const ids = db
      .selectFrom('person_docs')
      .select('person_id')
      .where('company_id', '=', companyId)
      .where('live', '=', 1)
      .orderBy('person_id', idDirection)
      .offset(page.start)
      .limit(page.limit + 1);
    return query.where('id', 'in', ids).orderBy('id', idDirection).execute();
  }
  for (const { field, direction } of page.order) {
    if (field !== 'id') query = query.orderBy(sql`case when ${sql.ref(field)} is null then 1 else 0 end`).orderBy(field, direction);
  }
  const idDirection = page.order.find((k) => k.field === 'id')?.direction ?? 'asc';
  return query.orderBy('id', idDirection).offset(page.start).limit(page.limit + 1).execute();
}
