import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * `person_docs`: each person's v2 JSON, the text `renderPersonV2(row)` writes with default options
 * (src/domain/persons/person-render.ts), byte for byte. A plain v2 list reads one stored text a row instead of 23
 * columns, which was most of a list's CPU on both backends (docs/benchmarks.md). Triggers keep it in step with
 * every insert, update and delete of `persons`, in the writing statement's transaction, whatever path wrote the
 * row (the API, an import, a merge, an organization's delete unlinking its persons). A change to the v2 rendering
 * needs a migration that replaces the triggers and rewrites the documents; test/scale/person-docs.test.ts compares
 * the two renderings on both backends.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`create table person_docs (person_id integer primary key, doc text not null)`.execute(db);
  if (dialect === 'postgres') {
    await sql`create function person_docs_write() returns trigger language plpgsql as $$
      begin
        insert into person_docs (person_id, doc) values (new.id, ${personDoc(dialect, 'new')})
          on conflict (person_id) do update set doc = excluded.doc;
        return null;
      end $$`.execute(db);
    await sql`create function person_docs_remove() returns trigger language plpgsql as $$
      begin
        delete from person_docs where person_id = old.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger person_docs_write after insert or update on persons for each row execute function person_docs_write()`.execute(db);
    await sql`create trigger person_docs_remove after delete on persons for each row execute function person_docs_remove()`.execute(db);
  } else {
    for (const event of ['insert', 'update']) {
      await sql`create trigger ${sql.id(`person_docs_${event}`)} after ${sql.raw(event)} on persons
        begin insert or replace into person_docs (person_id, doc) values (new.id, ${personDoc(dialect, 'new')}); end`.execute(db);
    }
    await sql`create trigger person_docs_delete after delete on persons begin delete from person_docs where person_id = old.id; end`.execute(db);
  }
  await writeMissingPersonDocs(db, dialect);
}

/** Writes the documents of persons that have none: every person when the table is new. */
export async function writeMissingPersonDocs(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`insert into person_docs (person_id, doc) select id, ${personDoc(dialect, 'persons')} from persons
    where not exists (select 1 from person_docs where person_docs.person_id = persons.id)`.execute(db);
}

/** The document of the row `row` (a table or NEW) as an SQL expression: strings escaped as JSON.stringify does. */
export function personDoc(dialect: Dialect, row: string): RawBuilder<string> {
  const c = (column: string) => sql.raw(`${row}.${column}`);
  // json_quote (SQLite) gives `null` for NULL; to_json (PostgreSQL) gives NULL.
  const text = (column: string) => (dialect === 'sqlite' ? sql`json_quote(${c(column)})` : sql`coalesce(to_json(${c(column)})::text, 'null')`);
  const nullable = (column: string) => sql`coalesce(cast(${c(column)} as text), 'null')`;
  const parts: RawBuilder<unknown>[] = [
    sql`'{"id":'`, sql`cast(${c('id')} as text)`,
    sql`',"name":'`, text('name'),
    sql`',"first_name":'`, text('first_name'),
    sql`',"last_name":'`, text('last_name'),
    sql`',"owner_id":'`, sql`cast(${c('owner_id')} as text)`,
    sql`',"org_id":'`, nullable('org_id'),
    sql`',"add_time":"'`, c('add_time'),
    sql`'","update_time":"'`, c('update_time'),
    sql`'","emails":'`, c('emails'),
    sql`',"phones":'`, c('phones'),
    sql`',"is_deleted":'`, sql`case when ${c('deleted_time')} is null then 'false' else 'true' end`,
    sql`',"visible_to":'`, sql`cast(${c('visible_to')} as text)`,
    sql`',"label_ids":'`, c('label_ids'),
    sql`',"picture_id":'`, nullable('picture_id'),
    sql`',"custom_fields":'`, c('custom_fields'),
    sql`',"im":'`, c('im'),
    sql`',"postal_address":'`, nullable('postal_address'),
    sql`',"notes":'`, text('notes'),
    sql`',"birthday":'`, text('birthday'),
    sql`',"job_title":'`, text('job_title'),
    sql`'}'`,
  ];
  return sql<string>`(${sql.join(parts, sql` || `)})`;
}
