import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { SearchIndexUpkeep } from '../../src/domain/search/search-index-upkeep.ts';
import { segmentsOf } from '../../src/store/search/sqlite-compaction.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * The FTS5 segments a burst of indexing batches leaves are merged once writes pause (SearchIndexUpkeep). The segments
 * are SQLite's: PostgreSQL's index has none and its upkeep does nothing, which the search tests cover.
 */
const sqlite = testBackends().find((b) => b.name === 'sqlite');
if (sqlite) {
  describe('search index merged once writes pause [sqlite]', () => {
    let server: TestServer;
    // No timer: the test drives the upkeep itself, with its own clock.
    before(async () => {
      server = await startTestServer(sqlite, { searchIndexIntervalMs: 3_600_000 });
    });
    after(() => server.close());

    const segments = async (table: string) => segmentsOf((await sql<{ block: Uint8Array }>`select block from ${sql.table(`${table}_data`)} where id = 10`.execute(server.store.db)).rows[0].block);

    it('merges a table left in many pieces only after the quiet time, and search finds the same', async () => {
      const { api } = await newTenant(server);
      // Each search takes the queue in a batch of its own: one FTS5 segment per batch, merged by FTS5 only in tiers.
      for (let i = 0; i < 60; i++) {
        assert.equal((await api.post('/api/v2/persons', { name: `Piece${i} Segmented` })).status, 200);
        await api.get(`/api/v2/persons/search?term=Piece${i}`);
      }
      const pieces = await segments('person_search_name');
      assert.ok(pieces > 6, `${pieces} segments after 60 batches`);
      const before = (await api.get('/api/v2/persons/search?term=Segmented&limit=100')).body.data.items.map((i: any) => i.item.id);
      assert.equal(before.length, 60);

      let now = 0;
      const upkeep = new SearchIndexUpkeep(server.store.db, { quietMs: 5000, now: () => now });
      for (let i = 0; i < 5; i++) await upkeep.tick();
      assert.equal(await segments('person_search_name'), pieces, 'nothing merged before the quiet time');

      now = 5000;
      for (let i = 0; i < 200 && (await segments('person_search_name')) > 6; i++) await upkeep.tick();
      assert.ok((await segments('person_search_name')) <= 6);
      const after = (await api.get('/api/v2/persons/search?term=Segmented&limit=100')).body.data.items.map((i: any) => i.item.id);
      assert.deepEqual(after, before);
      assert.deepEqual((await api.get('/api/v2/persons/search?term=Piece42')).body.data.items.map((i: any) => i.item.name), ['Piece42 Segmented']);
    });
  });
}
