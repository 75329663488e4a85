import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { SearchIndexUpkeep } from '../../src/domain/search/search-index-upkeep.ts';
import { segmentsOf } from '../../src/store/search/sqlite-compaction.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * The FTS5 segments a burst of indexing batches leaves are merged by SearchIndexUpkeep once writes pause, step after
 * step in the store's worker thread, into a few pieces a table, and into one once writes have long paused. The segments are SQLite's: PostgreSQL's index has
 * none and its upkeep does nothing, which the search tests cover.
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

    it('merges nothing while writes go on, then everything in the worker, terms first; search finds the same', async () => {
      const { api } = await newTenant(server);
      // Each search takes the queue in a batch of its own: one FTS5 segment per batch, merged by FTS5 only in tiers.
      for (let i = 0; i < 60; i++) {
        assert.equal((await api.post('/api/v2/persons', { name: `Piece${i} Segmented` })).status, 200);
        await api.get(`/api/v2/persons/search?term=Piece${i}`);
      }
      const pieces = await segments('person_search_name');
      assert.ok(pieces > 6, `${pieces} name segments after 60 batches`);
      assert.ok((await segments('person_search_terms')) > 6);
      const before = (await api.get('/api/v2/persons/search?term=Segmented&limit=100')).body.data.items.map((i: any) => i.item.id);
      assert.equal(before.length, 60);

      let now = 0;
      const steps: string[] = [];
      const merge = server.store.mergeSearchIndex;
      assert.ok(merge, 'a SQLite file database merges in a worker thread');
      const upkeep = new SearchIndexUpkeep(server.store.db, {
        quietMs: 1000,
        now: () => now,
        merge: async (table, pages) => {
          steps.push(table);
          await merge(table, pages);
        },
      });
      // Writes go on, indexed by every tick, 100 ms apart: organizations', which leave the person tables as they are.
      for (let i = 0; i < 8; i++) {
        assert.equal((await api.post('/api/v2/organizations', { name: `Later${i} Written` })).status, 200);
        await upkeep.tick();
        now += 100;
      }
      assert.deepEqual(steps, [], 'nothing merged while writes go on');
      assert.equal(await segments('person_search_name'), pieces);
      const secondsBefore = server.store.stats().searchMergeSeconds ?? -1;

      now += 1000;
      await upkeep.tick();
      assert.ok((await segments('person_search_terms')) <= 6);
      // The worker's time in those steps is counted (personsd_search_merge_seconds_total).
      assert.ok((server.store.stats().searchMergeSeconds ?? 0) > secondsBefore, 'merge time counted');
      assert.ok((await segments('person_search_name')) <= 6, 'once writes pause, one tick merges step after step');
      assert.equal(steps[0], 'person_search_terms', 'the table every search reads first');
      const after = (await api.get('/api/v2/persons/search?term=Segmented&limit=100')).body.data.items.map((i: any) => i.item.id);
      assert.deepEqual(after, before);
      assert.deepEqual((await api.get('/api/v2/persons/search?term=Piece42')).body.data.items.map((i: any) => i.item.name), ['Piece42 Segmented']);
    });

    it('merges every table into one piece once writes have long paused, at most once in ten minutes', async () => {
      const { api } = await newTenant(server);
      let now = 0;
      const steps: string[] = [];
      const merge = server.store.mergeSearchIndex!;
      // At this size FTS5 merges a burst's small segments into the rest; at 1,000,000 persons they stay beside the
      // large one (test/unit/store/sqlite-compaction.test.ts). So the short pause's merges do nothing here.
      let merging = false;
      const upkeep = new SearchIndexUpkeep(server.store.db, {
        now: () => now,
        merge: async (table, pages) => {
          steps.push(table);
          assert.ok(steps.length < 1000, 'merge steps end');
          if (merging) await merge(table, pages);
        },
      });
      const burst = async (label: string) => {
        for (let i = 0; i < 3; i++) {
          assert.equal((await api.post('/api/v2/persons', { name: `${label}${i} Settled` })).status, 200);
          await api.get(`/api/v2/persons/search?term=${label}${i}`);
        }
        await upkeep.tick();
      };
      const pieces = () => Promise.all(['person_search_terms', 'person_search_name'].map(segments));
      const found = async () => (await api.get('/api/v2/persons/search?term=Settled&limit=100')).body.data.items.map((i: any) => i.item.id);

      await burst('First');
      now += 1000;
      await upkeep.tick();
      const [terms] = await pieces();
      assert.ok(terms > 1, `${terms} terms segments after a burst`);
      const before = await found();
      assert.equal(before.length, 3);
      merging = true;

      now += 28_999;
      const stepsBefore = steps.length;
      await upkeep.tick();
      assert.equal(steps.length, stepsBefore, 'not before writes have paused for 30 s');
      now += 1;
      await upkeep.tick();
      assert.deepEqual(await pieces(), [1, 1]);
      assert.equal(steps[stepsBefore], 'person_search_terms');
      assert.deepEqual(await found(), before);

      merging = false;
      await burst('Second');
      now += 1000;
      await upkeep.tick();
      merging = true;
      now += 30_000;
      await upkeep.tick();
      assert.ok((await pieces())[0] > 1, 'no second merge into one within ten minutes');
      now += 600_000;
      await upkeep.tick();
      assert.deepEqual(await pieces(), [1, 1]);
      assert.equal((await found()).length, 6);
    });

    it('rests between the steps of a merge into one while requests keep the process busy, and still finishes', async () => {
      const { api } = await newTenant(server);
      let now = 0;
      let busy = true;
      let steps = 0;
      const rests: number[] = [];
      const merge = server.store.mergeSearchIndex!;
      // As above: the bursts' pieces are left for the merge into one.
      let merging = false;
      const upkeep = new SearchIndexUpkeep(server.store.db, {
        now: () => now,
        busy: () => busy,
        rest: async (ms) => void rests.push(ms),
        merge: async (table, pages) => {
          if (!merging) return;
          steps++;
          await merge(table, pages);
        },
      });
      const pieces = () => Promise.all(['person_search_terms', 'person_search_name'].map(segments));
      const burst = async (label: string) => {
        for (let i = 0; i < 3; i++) {
          assert.equal((await api.post('/api/v2/persons', { name: `${label}${i} Rested` })).status, 200);
          await api.get(`/api/v2/persons/search?term=${label}${i}`);
        }
        merging = false;
        await upkeep.tick();
        now += 1000;
        await upkeep.tick();
        merging = true;
      };

      await burst('Busy');
      assert.ok((await pieces())[0] > 1);
      const stepsBefore = steps;
      now += 30_000;
      await upkeep.tick();
      assert.deepEqual(await pieces(), [1, 1], 'the merge into one still finishes');
      assert.ok(steps > stepsBefore);
      // A rest after each step that merged (a step may ask the worker twice: see compactionStep).
      assert.ok(rests.length >= 1 && rests.length <= steps - stepsBefore, `${rests.length} rests, ${steps - stepsBefore} merges`);
      assert.ok(rests.every((ms) => ms >= 0 && ms <= 1000));
      // The merge after a burst of writes (a step a tick without the worker, as in sqlite-compaction.test.ts) and
      // the merge into one when idle never rest.

      // Idle: the next merge into one (ten minutes later) goes step after step.
      busy = false;
      rests.length = 0;
      await burst('Idle');
      now += 600_000;
      await upkeep.tick();
      assert.deepEqual(await pieces(), [1, 1]);
      assert.deepEqual(rests, []);
      assert.equal((await api.get('/api/v2/persons/search?term=Rested&limit=100')).body.data.items.length, 6);
    });
  });
}
