import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';
import { personDoc } from './027-person-docs.js';

/**
 * PostgreSQL: the stored person documents (migration 027) carry their person's company and whether the person is
 * live, as SQLite's have since migration 030, with a key on (company_id, person_id). The plain v2 list sorted by id
 * then reads its page as one range of that key and the documents' heap pages, where it read the persons in id order
 * and looked up each one's document through a second index: about ten buffers a page against three hundred. The
 * table is filled in id order, the order the seeding and most creates write in, so a page's documents sit on a few
 * neighbouring heap pages. The triggers write the same text as before, and the company and the live flag with it.
 * The key holds the live persons only: a plain v1 page finds its ids past the offset in it alone
 * (persons.repository.ts, listPersonsByOffset), where it read every skipped person's row.
 *
 * The key on person_id alone stays, so processes of the release before keep finding a document by its person during
 * a rolling deploy (without it each of their pages would scan the new key whole); it costs a write one index entry.
 *
 * SQLite: nothing; migration 030 did the same there.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // The triggers on persons stay: `create or replace` below keeps the functions they call, with new bodies.
  await sql`drop table person_docs`.execute(db);
  await sql`create table person_docs (person_id integer primary key, company_id integer not null, live smallint not null, doc text not null)`.execute(db);
  await sql`create or replace function person_docs_write() returns trigger language plpgsql as $$
    begin
      insert into person_docs (company_id, person_id, live, doc) values (new.company_id, new.id, (new.deleted_time is null)::int, ${personDoc(dialect, 'new')})
        on conflict (person_id) do update set live = excluded.live, doc = excluded.doc;
      return null;
    end $$`.execute(db);
  await sql`create or replace function person_docs_remove() returns trigger language plpgsql as $$
    begin
      delete from person_docs where person_id = old.id;
      return null;
    end $$`.execute(db);
  await writeMissingPersonDocs(db, dialect);
  // Built after the fill, as one sort rather than a million inserts. Of the live persons only, so a v1 page's offset
  // is skipped in this key alone (an index-only scan), without reading the skipped persons' rows.
  await sql`create unique index person_docs_company on person_docs (company_id, person_id) where live = 1`.execute(db);
  // A new table has no statistics until autovacuum gets to it (or never, where it is off).
  await sql`analyze person_docs`.execute(db);
}

/**
 * Writes the documents of persons that have none, in id order, in the table's layout since this migration (both
 * backends): every person when the table is new.
 */
export async function writeMissingPersonDocs(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`insert into person_docs (company_id, person_id, live, doc)
    select company_id, id, case when deleted_time is null then 1 else 0 end, ${personDoc(dialect, 'persons')} from persons
    where not exists (select 1 from person_docs where person_docs.company_id = persons.company_id and person_docs.person_id = persons.id)
    order by id`.execute(db);
}
