import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { listPersonDocs, listPersonsByOffset } from '../../../src/store/repositories/persons.repository.ts';

/** The steps of SQLite's plan for each statement `work` runs. */
async function plansOf(work: (db: Kysely<any>) => Promise<unknown>): Promise<string[][]> {
  const raw = new SqliteDatabase(':memory:');
  const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
  const db = new Kysely<any>({
    dialect: new SqliteDialect({ database: raw }),
    log: (event) => {
      if (event.level === 'query' && /^select/i.test(event.query.sql)) statements.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  await migrateToLatest(db, 'sqlite');
  statements.length = 0;
  await work(db);
  const plans = statements.map(({ sql, parameters }) => (raw.prepare(`explain query plan ${sql}`).all(...(parameters as unknown[])) as Array<{ detail: string }>).map((step) => step.detail));
  await db.destroy();
  return plans;
}

/*
 * Migration 030: the plain v2 list sorted by id reads one range of the stored documents, kept in each company's id
 * order (029's index of live persons still serves the lists that read the persons rows in id order).
 */
describe('migrations 029 and 030: the plain list’s pages on SQLite', () => {
  it('reads a page sorted by id, first and later, either way, as one range of person_docs without the persons rows', async () => {
    const plans = await plansOf(async (db) => {
      for (const direction of ['asc', 'desc'] as const) {
        const page = { sortBy: 'id' as const, direction, limit: 100 };
        await listPersonDocs(db, 1, {}, page);
        await listPersonDocs(db, 1, {}, { ...page, after: { value: 100, id: 100 } });
      }
    });
    assert.equal(plans.length, 4);
    for (const plan of plans) {
      assert.deepEqual(plan, [plan.find((step) => /^SEARCH person_docs USING PRIMARY KEY \(company_id=\?( AND person_id[<>]\?)?\)$/.test(step))], JSON.stringify(plans));
    }
  });

  it('reads the persons of a v1 page in id order from the index of live persons', async () => {
    const plans = await plansOf((db) => listPersonsByOffset(db, 1, {}, { start: 200, limit: 100, order: [] }));
    assert.equal(plans.length, 1);
    assert.match(plans[0].join(' | '), /persons USING (COVERING )?INDEX persons_live/);
  });
});
