import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { up } from '../../../src/store/migrations/028-fts-usermerge.ts';
import { ftsTables } from '../../../src/store/search/fts5-queries.ts';

/* Migration 028 gives the FTS5 tables an older database made FTS5's `usermerge` of 2 (tables made since get it when made). */
describe('migration 028: FTS5 usermerge on existing search tables', () => {
  it('sets it on every current FTS5 table there is, and passes over tables not made yet', async () => {
    const raw = new SqliteDatabase(':memory:');
    const person = ftsTables('person');
    // As an older database: the person tables without the setting; organization and deal tables missing.
    for (const { name, definition } of person) raw.exec(`create virtual table ${name} using ${definition}`);
    const usermerge = (table: string) => raw.prepare(`select v from ${table}_config where k = 'usermerge'`).pluck().get();
    assert.equal(usermerge(person[0].name), undefined);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    await up(db, 'sqlite');
    for (const { name } of person) assert.equal(usermerge(name), 2, name);
    await db.destroy();
  });
});
