import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { SEARCH_TABLES, type SearchEntity } from '../../../src/store/search/search-match.ts';
import { createFtsTables } from '../../../src/store/search/sqlite-search-index.ts';
import { compactionStep, segmentsOf } from '../../../src/store/search/sqlite-compaction.ts';

/*
 * The merge steps SearchIndexUpkeep runs once writes pause, on a real FTS5 table: a writer that resumes between steps
 * must not leave the table in more pieces than the steps found, and steps with writes paused merge it whole.
 */
describe('FTS5 merge steps (compactionStep)', () => {
  const table = 'person_search_terms';
  const open = async () => {
    const raw = new SqliteDatabase(':memory:');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) await createFtsTables(db, entity);
    return { raw, db };
  };
  let nextId = 1;
  const words = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
  /** One indexing batch: a segment of 50 rows. */
  const batch = (raw: SqliteDatabase.Database) => {
    const rows = Array.from({ length: 50 }, () => [nextId++, Array.from({ length: 40 }, () => words[Math.floor(Math.random() ** 2 * words.length)]).join(' ')]);
    raw.prepare(`insert into ${table} (rowid, tokens) select value ->> 0, value ->> 1 from json_each(?)`).run(JSON.stringify(rows));
  };
  const segments = (raw: SqliteDatabase.Database) => segmentsOf((raw.prepare(`select block from ${table}_data where id = 10`).get() as { block: Uint8Array }).block);

  it('keeps the pieces bounded when batches come between steps, and merges them whole once they stop', async () => {
    const { raw, db } = await open();
    for (let i = 0; i < 40; i++) batch(raw);
    let most = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 10; i++) batch(raw);
      await compactionStep(db);
      most = Math.max(most, segments(raw));
    }
    assert.ok(most <= 16, `at most ${most} segments with batches between steps`);

    let steps = 0;
    while (await compactionStep(db)) steps++;
    assert.ok(segments(raw) <= 6, `${segments(raw)} segments after ${steps} steps`);
    const ids = raw.prepare(`select rowid from ${table} where ${table} match ? order by rowid`).pluck().all(words[0]) as number[];
    assert.ok(ids.length > 0);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n, nextId - 1);
    await db.destroy();
  });

  it('merges a burst\'s small segments among themselves, and the large one with them only when asked for one piece', async () => {
    const { raw, db } = await open();
    const firstId = nextId;
    for (let i = 0; i < 40; i++) batch(raw);
    raw.exec(`insert into ${table} (${table}) values ('optimize')`);
    const large = raw.prepare(`select count(*) as n from ${table}_data`).pluck().get() as number;
    for (let i = 0; i < 3; i++) batch(raw);
    assert.equal(segments(raw), 4, 'the large segment and a small one a batch');

    while (await compactionStep(db));
    const few = segments(raw);
    assert.equal(few, 2, `${few} segments: the small ones merged, the large one kept`);
    // Rewriting the large segment would leave its pages and the merged copy's side by side until the step ends;
    // merging only the small ones adds a few pages.
    assert.ok((raw.prepare(`select count(*) as n from ${table}_data`).pluck().get() as number) < large * 1.5);

    while (await compactionStep(db, undefined, 'one'));
    assert.equal(segments(raw), 1);
    assert.equal((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n, nextId - firstId);
    await db.destroy();
  });
});
