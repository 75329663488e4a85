import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { giveCompaniesTheDefaultPipeline } from '../../src/store/migrations/016-pipelines.ts';
import { isolatedServerSuite } from '../helpers/isolated-database.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

/*
 * Migration 016 gives every existing company the default pipeline and puts its deals in the first stage. Runs on a
 * database of its own: it makes a company look as before 016 (no pipeline, deals without a stage) and runs the
 * migration's data step again.
 */
for (const backend of testBackends()) {
  describe(`migration 016: existing companies get the default pipeline [${backend.name}]`, { timeout: 60_000 }, () => {
    const suite = isolatedServerSuite(backend);

    it('seeds the default pipeline where none is, places stageless deals in its first stage, and leaves other companies alone', async () => {
      const old = await newTenant(suite.server);
      const current = await newTenant(suite.server);
      const live = (await old.api.post('/api/v2/deals', { title: 'Live' })).body.data.id as number;
      const deleted = (await old.api.post('/api/v2/deals', { title: 'Deleted' })).body.data.id as number;
      assert.equal((await old.api.delete(`/api/v2/deals/${deleted}`)).status, 200);
      await current.api.post('/api/v2/pipelines', { name: 'Second' });
      const untouched = (await current.api.get('/api/v2/stages')).body.data;

      const store = openStore(parseDatabaseUrl(suite.database.url, 1));
      try {
        // As before 016: no pipeline, no stage, deals nowhere.
        await store.db.updateTable('deals').set({ pipeline_id: null, stage_id: null }).where('company_id', '=', old.companyId).execute();
        await store.db.deleteFrom('stages').where('company_id', '=', old.companyId).execute();
        await store.db.deleteFrom('pipelines').where('company_id', '=', old.companyId).execute();
        await store.db.transaction().execute((trx) => giveCompaniesTheDefaultPipeline(trx));
      } finally {
        await store.close();
      }
      const [pipeline, ...others] = (await old.api.get('/api/v2/pipelines')).body.data;
      assert.deepEqual(others, []);
      assert.equal(pipeline.name, 'Pipeline');
      const stages = (await old.api.get(`/api/v2/stages?pipeline_id=${pipeline.id}&sort_by=order_nr`)).body.data;
      assert.deepEqual(stages.map((s: { name: string }) => s.name), ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started']);
      const liveDeal = (await old.api.get(`/api/v2/deals/${live}`)).body.data;
      assert.deepEqual([liveDeal.pipeline_id, liveDeal.stage_id], [pipeline.id, stages[0].id]);
      const deletedDeal = (await old.api.get('/api/v2/deals?status=deleted')).body.data.find((d: { id: number }) => d.id === deleted);
      assert.deepEqual([deletedDeal.pipeline_id, deletedDeal.stage_id], [pipeline.id, stages[0].id]);
      assert.equal((await current.api.get('/api/v2/pipelines')).body.data.length, 2, 'a company with pipelines gets none');
      assert.deepEqual((await current.api.get('/api/v2/stages')).body.data, untouched);
    });
  });
}
