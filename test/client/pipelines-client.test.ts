import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v2 } from 'pipedrive';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official client: v2 PipelinesApi and StagesApi [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('lists the default pipeline, adds, pages, updates and deletes pipelines and stages, and places deals in stages', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const pipelines = new v2.PipelinesApi(client.v2);
      const stages = new v2.StagesApi(client.v2);
      const deals = new v2.DealsApi(client.v2);

      const [main] = (await pipelines.getPipelines({ sort_by: 'id', sort_direction: 'asc' })).data!;
      assert.equal(suite.traffic.last().path, '/api/v2/pipelines');
      assert.equal(main.name, 'Pipeline');
      const defaults = (await stages.getStages({ pipeline_id: main.id, sort_by: 'order_nr' })).data!;
      assert.deepEqual(defaults.map((s) => s.name), ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started']);

      const added = (await pipelines.addPipeline({ AddPipelineRequest: { name: 'Partners', is_deal_probability_enabled: true } })).data!;
      assert.equal(added.is_deal_probability_enabled, true);
      const updated = (await pipelines.updatePipeline({ id: added.id!, UpdatePipelineRequest: { name: 'Partner deals' } })).data!;
      assert.equal(suite.traffic.last().method, 'PATCH');
      assert.equal(updated.name, 'Partner deals');
      assert.equal((await pipelines.getPipeline({ id: added.id! })).data!.name, 'Partner deals');

      const first = (await stages.addStage({ AddStageRequest: { name: 'Intro', pipeline_id: added.id!, deal_probability: 20 } })).data!;
      const second = (await stages.addStage({ AddStageRequest: { name: 'Contract', pipeline_id: added.id!, is_deal_rot_enabled: true, days_to_rotten: 10 } })).data!;
      assert.equal(second.order_nr, 2);
      const page = await stages.getStages({ pipeline_id: added.id!, sort_by: 'order_nr', sort_direction: 'desc', limit: 1 });
      assert.deepEqual(page.data!.map((s) => s.id), [second.id]);
      const rest = await stages.getStages({ pipeline_id: added.id!, sort_by: 'order_nr', sort_direction: 'desc', limit: 1, cursor: page.additional_data!.next_cursor! });
      assert.deepEqual(rest.data!.map((s) => s.id), [first.id]);
      assert.equal((await stages.updateStage({ id: first.id!, UpdateStageRequest: { name: 'Introduction' } })).data!.name, 'Introduction');
      assert.equal((await stages.getStage({ id: first.id! })).data!.deal_probability, 20);

      const deal = (await deals.addDeal({ AddDealRequest: { title: 'Reseller', stage_id: second.id! } })).data!;
      assert.equal(deal.pipeline_id, added.id);
      const inStage = await deals.getDeals({ stage_id: second.id! });
      assert.equal(suite.traffic.last().query.get('stage_id'), String(second.id));
      assert.deepEqual(inStage.data!.map((d) => d.id), [deal.id]);
      assert.deepEqual((await deals.getDeals({ pipeline_id: main.id! })).data, []);

      const refused = await clientError(stages.deleteStage({ id: second.id! }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(refused.error, /still has 1 deal/);
      await deals.deleteDeal({ id: deal.id! });
      assert.equal((await stages.deleteStage({ id: second.id! })).data!.id, second.id);
      assert.equal((await pipelines.deletePipeline({ id: added.id! })).data!.id, added.id);
      const missing = await clientError(pipelines.getPipeline({ id: added.id! }));
      assert.equal(suite.traffic.last().status, 404);
      assert.match(missing.error, /Pipeline not found/);
    });
  });
}
