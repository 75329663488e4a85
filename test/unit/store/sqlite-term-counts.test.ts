import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../../src/app/config.ts';
import { openStore } from '../../../src/store/db.ts';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { SQLITE_TERM_COUNTING } from '../../../src/store/search/sqlite-search-index.ts';
import { termSizes } from '../../../src/store/search/term-sizes.ts';

/*
 * SQLite counts the rows of an AND's terms in the FTS5 terms table, up to a cap, so that an AND with a rare part is
 * read as that part alone (fts5-queries.ts, withRarestParts): the counts decide the query, never the answer.
 */
describe('SQLite term counts', () => {
  it('counts each term of an AND up to the cap, every company’s rows, and not the terms outside an AND', async () => {
    const store = openStore(parseDatabaseUrl('memory:', 1));
    try {
      await migrateToLatest(store.db, store.dialect);
      for (let id = 1; id <= 130; id++) {
        const tokens = ['common', ...(id <= 3 ? ['rare'] : []), ...(id === 7 ? ['alone'] : [])].join(' ');
        await sql`insert into person_search_terms (rowid, tokens) values (${id}, ${tokens})`.execute(store.db);
      }
      const counted = await SQLITE_TERM_COUNTING.count(store.db, 'person', 1, ['common', 'rare', 'missing'], 100);
      assert.deepEqual(Object.fromEntries(counted), { common: 100, rare: 3, missing: 0 });
      // Many terms at once (the searches of a turn together) go out in several statements.
      const many = Array.from({ length: 250 }, (_, k) => (k === 3 ? 'rare' : `none${k}`));
      const manyCounted = await SQLITE_TERM_COUNTING.count(store.db, 'person', 1, many, 100);
      assert.equal(manyCounted.size, 250);
      assert.equal(manyCounted.get('rare'), 3);
      assert.equal(manyCounted.get('none249'), 0);

      const token = (t: string) => ({ op: 'token' as const, token: t });
      const lookup = { op: 'or' as const, of: [{ op: 'and' as const, of: [token('common'), token('rare')] }, token('alone')] };
      const sizes = await termSizes(store.db, 'person', 99, lookup, SQLITE_TERM_COUNTING);
      assert.deepEqual(Object.fromEntries(sizes), { common: SQLITE_TERM_COUNTING.firstCap, rare: 3 });
    } finally {
      await store.close();
    }
  });
});
