import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';
import { personDoc } from './027-person-docs.js';

/**
 * SQLite: the stored person documents (migration 027) kept in each company's id order, each with whether its person
 * is live, in a table clustered on (company_id, person_id). The plain v2 list sorted by id (what a client's paging
 * asks for) then reads its page as one range of one table, where it read the persons in id order and looked up each
 * one's document in a second B-tree: at 1,000,000 persons, in process, 132–136 against 197–211 µs of CPU a page
 * (docs/benchmarks.md). The triggers write the same text as before, and the company and the live flag with it.
 *
 * PostgreSQL: nothing. A table there is not kept in key order, so a page would still fetch its documents from
 * wherever the heap holds them; its list is the persons' index scan and the documents, as before.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const trigger of ['person_docs_insert', 'person_docs_update', 'person_docs_delete']) await sql`drop trigger ${sql.id(trigger)}`.execute(db);
  await sql`drop table person_docs`.execute(db);
  await sql`create table person_docs (company_id integer not null, person_id integer not null, live integer not null, doc text not null,
    primary key (company_id, person_id)) without rowid`.execute(db);
  for (const event of ['insert', 'update']) {
    await sql`create trigger ${sql.id(`person_docs_${event}`)} after ${sql.raw(event)} on persons
      begin insert or replace into person_docs (company_id, person_id, live, doc) values (new.company_id, new.id, new.deleted_time is null, ${personDoc(dialect, 'new')}); end`.execute(db);
  }
  await sql`create trigger person_docs_delete after delete on persons begin delete from person_docs where company_id = old.company_id and person_id = old.id; end`.execute(db);
  // Rendered afresh by the table's one fill, which test/scale/person-docs.test.ts checks. Copying the old documents
  // was faster at 1,000,000 persons (7.0–7.7 s against 13.4–14.3), but a copy needs this fill too, for any person
  // without one (10.4–11.0 s both): a once-only cost not worth a second path.
  await sql`insert into person_docs (company_id, person_id, live, doc) select company_id, id, deleted_time is null, ${personDoc(dialect, 'persons')} from persons`.execute(db);
}
