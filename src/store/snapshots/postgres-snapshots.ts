import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';
import { type Snapshots, isMigrationTable } from './snapshots.js';

const PREFIX = 'personsd_snapshot_';
const DEADLOCK = '40P01';
const RESTORE_ATTEMPTS = 3;

/**
 * PostgreSQL snapshots are schemas (`personsd_snapshot_<name>`) holding a copy of every table and the sequences'
 * positions, taken in one repeatable-read transaction. A restore empties the tables in one TRUNCATE, copies the
 * rows back parents first (their triggers fill derived tables as they go, see restoreFrom), and sets every sequence
 * where it stood, so the next ids are the ones they would have been.
 */
export function postgresSnapshots(db: Kysely<Database>): Snapshots {
  const schemaOf = (name: string) => sql.id(PREFIX + name.toLowerCase());
  const exists = async (name: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${PREFIX + name.toLowerCase()}`.execute(db)).rows[0].n > 0;

  const restoreFrom = (name: string) =>
    db.transaction().execute(async (trx) => {
      const schema = schemaOf(name);
      const tables = await tablesInReferenceOrder(trx);
      await sql`truncate table ${sql.join(tables.map((t) => sql`public.${sql.id(t)}`))}`.execute(trx);
      // The tables were emptied, so a conflict can only be a row a trigger derived from rows copied back already
      // (person_docs from persons, migration 027): the same row the snapshot holds.
      for (const table of tables) await sql`insert into public.${sql.id(table)} select * from ${schema}.${sql.id(table)} on conflict do nothing`.execute(trx);
      const sequences = (await sql<{ name: string; last_value: number | null }>`select name, last_value from ${schema}.${sql.id('__sequences')}`.execute(trx)).rows;
      for (const { name: sequence, last_value } of sequences) {
        await sql`select setval(${'public.' + sequence}::regclass, ${last_value ?? 1}, ${last_value !== null})`.execute(trx);
      }
    });

  return {
    async take(name) {
      await db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
        const schema = schemaOf(name);
        await sql`drop schema if exists ${schema} cascade`.execute(trx);
        await sql`create schema ${schema}`.execute(trx);
        for (const table of await tablesOf(trx)) await sql`create table ${schema}.${sql.id(table)} as table public.${sql.id(table)}`.execute(trx);
        await sql`create table ${schema}.${sql.id('__sequences')} as
          select sequencename as name, last_value from pg_sequences where schemaname = 'public'`.execute(trx);
      });
    },
    async restore(name) {
      if (!(await exists(name))) return false;
      // The TRUNCATE locks every table in reference order, while a webhook delivery in flight holds its webhook tables
      // and then writes its delivery row: PostgreSQL may end the restore as a deadlock. The restore then runs again.
      for (let attempt = 1; ; attempt++) {
        try {
          await restoreFrom(name);
          return true;
        } catch (err) {
          if ((err as { code?: unknown }).code !== DEADLOCK || attempt === RESTORE_ATTEMPTS) throw err;
        }
      }
    },
    async list() {
      const rows = (await sql<{ name: string }>`select substr(nspname, ${PREFIX.length + 1}) as name from pg_namespace where nspname like ${PREFIX + '%'} order by 1`.execute(db)).rows;
      return rows.map((row) => row.name);
    },
    async remove(name) {
      if (!(await exists(name))) return false;
      await sql`drop schema ${schemaOf(name)} cascade`.execute(db);
      return true;
    },
    async dispose() {},
  };
}

async function tablesOf(db: Kysely<Database>): Promise<string[]> {
  const rows = (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by 1`.execute(db)).rows;
  return rows.map((row) => row.name).filter((name) => !isMigrationTable(name));
}

/** Tables with the ones others reference first, so rows copied back always find what they point at. */
async function tablesInReferenceOrder(db: Kysely<Database>): Promise<string[]> {
  const tables = await tablesOf(db);
  const references = (
    await sql<{ child: string; parent: string }>`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = 'public'`.execute(db)
  ).rows;
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) if (child !== parent) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) place(parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) place(table, new Set());
  return ordered;
}
