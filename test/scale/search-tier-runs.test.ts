import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseTerm, planSearch } from '../../src/domain/search/search-plan.ts';
import { START, TierCollector } from '../../src/domain/search/tier-collector.ts';
import { dialectOf } from '../../src/store/dialect/index.ts';
import { SEES_EVERYTHING } from '../../src/store/record-visibility.ts';
import type { SearchIndexBackend } from '../../src/store/search/search-index-backend.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * How many index reads a search makes (tier-collector.ts): a term of several words naming one person (a full email)
 * reads every tier's candidates in one query; where its words are common, the exact values' run and then each tier,
 * with the same hits either way.
 */
for (const backend of testBackends()) {
  describe(`search reads by runs of tiers [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    let index: SearchIndexBackend;
    const reads = { runs: 0, tiers: 0 };
    let restore: () => void;
    let ada: number;

    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
      ada = (await tenant.api.post('/api/v2/persons', { name: 'Ada Lovelace', emails: [{ value: 'ada.lovelace@example.com', primary: true }] })).body.data.id;
      for (let i = 0; i < 30; i++) await tenant.api.post('/api/v2/persons', { name: `Jane Doe ${i}`, emails: [{ value: `jane.doe.${i}@example.com`, primary: true }] });
      for (let i = 0; i < 12; i++) await tenant.api.post('/api/v2/persons', { name: 'Sam Lee' });
      index = dialectOf(server.store.db).searchIndex;
      const { runCandidates, tierReads } = index;
      const counted = index as { -readonly [K in keyof SearchIndexBackend]: SearchIndexBackend[K] };
      counted.runCandidates = (...args) => (reads.runs++, runCandidates(...args));
      counted.tierReads = (request) => (reads.tiers++, tierReads(request));
      restore = () => Object.assign(counted, { runCandidates, tierReads });
    });
    after(async () => {
      restore();
      await server.close();
    });

    const search = async (term: string, want: number, exactMatch = false) => {
      reads.runs = 0;
      reads.tiers = 0;
      const plan = planSearch('person', parseTerm(term, exactMatch), undefined, exactMatch);
      const hits = await new TierCollector(server.store.db).collect(tenant.companyId, plan, START, want, SEES_EVERYTHING);
      return { hits: hits.map((h) => ({ id: h.id, tier: h.tier })), reads: { ...reads } };
    };

    it('reads a full email’s candidates, every tier of them, in one query', async () => {
      const { hits, reads } = await search('ada.lovelace@example.com', 101);
      assert.deepEqual(hits, [{ id: ada, tier: 1 }], 'the email’s exact value: the second tier');
      assert.deepEqual(reads, { runs: 1, tiers: 0 });
    });

    it('where the words are common, reads the exact values’ run and then tier by tier, hits in rank order', async () => {
      const { hits, reads } = await search('jane doe', 10);
      assert.equal(hits.length, 10);
      const tiers = hits.map((h) => h.tier);
      assert.deepEqual(tiers, [...tiers].sort((a, b) => a - b), JSON.stringify(hits));
      assert.ok(reads.runs >= 2 && reads.tiers >= 1, JSON.stringify(reads));
    });

    it('with exact_match, reads the exact run once, however many it finds', async () => {
      const { hits, reads } = await search('sam lee', 10, true);
      assert.equal(hits.length, 10);
      assert.ok(hits.every((h) => h.tier === 0));
      assert.equal(reads.runs, 1, JSON.stringify(reads));
    });
  });
}
