import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { listPersonDocs } from '../../../src/store/repositories/persons.repository.ts';

/* Migration 029: a page of the plain v2 persons list finds its persons in SQLite's index of live persons alone. */
describe('migration 029: the index of live persons on SQLite', () => {
  it('serves the plain list’s page, first and later, without reading the persons rows', async () => {
    const raw = new SqliteDatabase(':memory:');
    const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const db = new Kysely<any>({
      dialect: new SqliteDialect({ database: raw }),
      log: (event) => {
        if (event.level === 'query' && event.query.sql.includes('person_docs')) statements.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    await migrateToLatest(db, 'sqlite');
    statements.length = 0;
    const page = { sortBy: 'id' as const, direction: 'asc' as const, limit: 100 };
    await listPersonDocs(db, 1, {}, page);
    await listPersonDocs(db, 1, {}, { ...page, after: { value: 100, id: 100 } });
    assert.equal(statements.length, 2);
    for (const { sql, parameters } of statements) {
      const plan = raw.prepare(`explain query plan ${sql}`).all(...(parameters as unknown[])) as Array<{ detail: string }>;
      const persons = plan.map((step) => step.detail).find((detail) => / persons /.test(detail));
      assert.match(persons ?? '', /USING COVERING INDEX persons_live|USING INDEX persons_live/, JSON.stringify(plan));
    }
    await db.destroy();
  });
});
