import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const DEFAULT_STAGES = ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started'];

function assertStatus(res: ApiResponse, status: number, message?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.success, status < 300);
  if (message) assert.match(res.body.error, message);
}

async function defaults(api: Api) {
  const pipeline = (await api.get('/api/v2/pipelines')).body.data[0];
  const stages = (await api.get(`/api/v2/stages?pipeline_id=${pipeline.id}&sort_by=order_nr`)).body.data;
  return { pipeline, stages };
}

for (const backend of testBackends()) {
  describe(`pipelines and stages, v2 and v1 [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('gives a new company one pipeline with the default stages, in the v2 and v1 shapes', async () => {
      const { api } = await newTenant(server);
      const list = await api.get('/api/v2/pipelines');
      assertStatus(list, 200);
      assert.equal(list.body.data.length, 1);
      const [pipeline] = list.body.data;
      assert.deepEqual({ ...pipeline, add_time: undefined, update_time: undefined }, { id: pipeline.id, name: 'Pipeline', order_nr: 1, is_deleted: false, is_deal_probability_enabled: false, add_time: undefined, update_time: undefined });
      assert.match(pipeline.add_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(list.body.additional_data.next_cursor, null);
      const stages = (await api.get(`/api/v2/stages?pipeline_id=${pipeline.id}`)).body.data;
      assert.deepEqual(stages.map((s: { name: string }) => s.name), DEFAULT_STAGES);
      assert.deepEqual(stages.map((s: { order_nr: number }) => s.order_nr), [1, 2, 3, 4, 5]);
      assert.deepEqual(Object.keys(stages[0]).sort(), ['add_time', 'days_to_rotten', 'deal_probability', 'id', 'is_deal_rot_enabled', 'is_deleted', 'name', 'order_nr', 'pipeline_id', 'update_time']);
      assert.equal(stages[0].deal_probability, 100);
      assert.equal(stages[0].is_deal_rot_enabled, false);

      const v1 = await api.get('/v1/pipelines');
      assertStatus(v1, 200);
      assert.equal(v1.body.data.length, 1);
      assert.equal(v1.body.data[0].selected, true);
      assert.equal(v1.body.data[0].active, true);
      assert.equal(v1.body.data[0].deal_probability, false);
      assert.equal(v1.body.data[0].url_title, 'pipeline');
      assert.match(v1.body.data[0].add_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const v1Stages = await api.get(`/v1/stages?pipeline_id=${pipeline.id}&limit=2`);
      assertStatus(v1Stages, 200);
      assert.deepEqual(v1Stages.body.data.map((s: { name: string }) => s.name), DEFAULT_STAGES.slice(0, 2));
      assert.equal(v1Stages.body.data[0].pipeline_name, 'Pipeline');
      assert.equal(v1Stages.body.data[0].rotten_flag, false);
      assert.equal(v1Stages.body.data[0].active_flag, true);
      assert.deepEqual(v1Stages.body.additional_data.pagination, { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 });
      assert.equal((await api.get(`/v1/stages/${stages[4].id}`)).body.data.name, 'Negotiations Started');
    });

    it('adds, lists with a cursor, updates and deletes pipelines and stages through v2', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/api/v2/pipelines', { name: ' Renewals ', is_deal_probability_enabled: true });
      assertStatus(created, 200);
      const pipeline = created.body.data;
      assert.equal(pipeline.name, 'Renewals');
      assert.equal(pipeline.order_nr, 2);
      assert.equal(pipeline.is_deal_probability_enabled, true);
      const patched = await api.patch(`/api/v2/pipelines/${pipeline.id}`, { name: 'Renewals 2026', is_deal_probability_enabled: false });
      assertStatus(patched, 200);
      assert.equal(patched.body.data.name, 'Renewals 2026');
      assert.equal(patched.body.data.is_deal_probability_enabled, false);
      assert.equal((await api.get(`/api/v2/pipelines/${pipeline.id}`)).body.data.name, 'Renewals 2026');

      const names = ['Offer', 'Signed', 'Paid'];
      const added = [];
      for (const name of names) {
        const res = await api.post('/api/v2/stages', { name, pipeline_id: pipeline.id, deal_probability: 50, is_deal_rot_enabled: true, days_to_rotten: 7 });
        assertStatus(res, 200);
        added.push(res.body.data);
      }
      assert.deepEqual(added.map((s) => s.order_nr), [1, 2, 3]);
      assert.equal(added[0].days_to_rotten, 7);
      assert.equal(added[0].is_deal_rot_enabled, true);
      // Cursor paging by order_nr, newest order first, two at a time.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await api.get(`/api/v2/stages?pipeline_id=${pipeline.id}&sort_by=order_nr&sort_direction=desc&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assertStatus(page, 200);
        seen.push(...page.body.data.map((s: { name: string }) => s.name));
        cursor = page.body.additional_data.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, ['Paid', 'Signed', 'Offer']);
      assert.equal((await api.get('/api/v2/stages')).body.data.length, 8, 'all pipelines without pipeline_id');

      const renamed = await api.patch(`/api/v2/stages/${added[1].id}`, { name: 'Contract signed', days_to_rotten: null, is_deal_rot_enabled: false });
      assertStatus(renamed, 200);
      assert.equal(renamed.body.data.name, 'Contract signed');
      assert.equal(renamed.body.data.days_to_rotten, null);
      // A stage without deals may move to another pipeline; it goes last there.
      const { pipeline: main, stages: mainStages } = await defaults(api);
      const moved = await api.patch(`/api/v2/stages/${added[2].id}`, { pipeline_id: main.id });
      assertStatus(moved, 200);
      assert.equal(moved.body.data.pipeline_id, main.id);
      assert.equal(moved.body.data.order_nr, mainStages.length + 1);

      assertStatus(await api.delete(`/api/v2/stages/${added[0].id}`), 200);
      assertStatus(await api.get(`/api/v2/stages/${added[0].id}`), 404, /Stage not found/);
      const gone = await api.delete(`/api/v2/pipelines/${pipeline.id}`);
      assertStatus(gone, 200);
      assert.deepEqual(gone.body.data, { id: pipeline.id });
      assertStatus(await api.get(`/api/v2/pipelines/${pipeline.id}`), 404, /Pipeline not found/);
      assertStatus(await api.get(`/api/v2/stages/${added[1].id}`), 404, /Stage not found/);
      assert.equal((await api.get('/api/v2/pipelines')).body.data.length, 1);
      assertStatus(await api.delete(`/api/v2/pipelines/${main.id}`), 400, /only pipeline/);
    });

    it('puts deals in stages: the default place, stage_id alone, pipeline_id alone, filters, and refuses deletes that would strand deals', async () => {
      const { api } = await newTenant(server);
      const { pipeline: main, stages } = await defaults(api);
      const second = (await api.post('/api/v2/pipelines', { name: 'Second' })).body.data;
      const empty = await api.post('/api/v2/deals', { title: 'Nowhere', pipeline_id: second.id });
      assertStatus(empty, 400, new RegExp(`pipeline ${second.id} has no stages`));
      const [a, b] = [
        (await api.post('/api/v2/stages', { name: 'A', pipeline_id: second.id })).body.data,
        (await api.post('/api/v2/stages', { name: 'B', pipeline_id: second.id })).body.data,
      ];

      const plain = (await api.post('/api/v2/deals', { title: 'Plain' })).body.data;
      assert.equal(plain.pipeline_id, main.id);
      assert.equal(plain.stage_id, stages[0].id);
      const byStage = (await api.post('/api/v2/deals', { title: 'By stage', stage_id: b.id })).body.data;
      assert.deepEqual([byStage.pipeline_id, byStage.stage_id], [second.id, b.id]);
      const byPipeline = (await api.post('/api/v2/deals', { title: 'By pipeline', pipeline_id: second.id })).body.data;
      assert.deepEqual([byPipeline.pipeline_id, byPipeline.stage_id], [second.id, a.id]);
      assertStatus(await api.post('/api/v2/deals', { title: 'Mismatch', pipeline_id: main.id, stage_id: a.id }), 400, new RegExp(`stage_id ${a.id} belongs to pipeline ${second.id}`));
      assert.equal((await api.get(`/api/v2/deals/${plain.id}`)).body.data.stage_id, stages[0].id, 'a read shows the stage');

      // PATCH: a stage moves the deal with its pipeline; the same pipeline keeps the stage; another pipeline means its first stage.
      const toStage = (await api.patch(`/api/v2/deals/${plain.id}`, { stage_id: stages[2].id })).body.data;
      assert.deepEqual([toStage.pipeline_id, toStage.stage_id], [main.id, stages[2].id]);
      assert.equal((await api.patch(`/api/v2/deals/${plain.id}`, { pipeline_id: main.id, title: 'Kept' })).body.data.stage_id, stages[2].id);
      assert.equal((await api.patch(`/api/v2/deals/${plain.id}`, { title: 'Untouched' })).body.data.stage_id, stages[2].id);
      const toPipeline = (await api.patch(`/api/v2/deals/${plain.id}`, { pipeline_id: second.id })).body.data;
      assert.deepEqual([toPipeline.pipeline_id, toPipeline.stage_id], [second.id, a.id]);
      assertStatus(await api.patch(`/api/v2/deals/${plain.id}`, { stage_id: 'x' }), 400, /stage_id/);

      const titles = async (query: string) => (await api.get(`/api/v2/deals?${query}`)).body.data.map((d: { title: string }) => d.title).sort();
      assert.deepEqual(await titles(`stage_id=${a.id}`), ['By pipeline', 'Untouched']);
      assert.deepEqual(await titles(`pipeline_id=${second.id}`), ['By pipeline', 'By stage', 'Untouched']);
      assert.deepEqual(await titles(`pipeline_id=${main.id}`), []);
      assert.deepEqual(await titles(`pipeline_id=${second.id}&stage_id=${b.id}`), ['By stage']);
      assert.equal((await api.get(`/api/v2/deals?stage_id=${a.id}`)).headers.get('x-personsd-ignored-params'), null);
      // Filters know a deal's pipeline and stage too.
      const conditions = { glue: 'and', conditions: [{ glue: 'and', conditions: [{ object: 'deal', field_id: 'stage_id', operator: '=', value: String(b.id), extra_value: null }] }, { glue: 'or', conditions: [] }] };
      const filter = await api.post('/v1/filters', { name: 'In B', type: 'deals', conditions });
      assertStatus(filter, 200);
      const filtered = await api.get(`/api/v2/deals?filter_id=${filter.body.data.id}`);
      assertStatus(filtered, 200);
      assert.deepEqual(filtered.body.data.map((d: { title: string }) => d.title), ['By stage']);

      assertStatus(await api.delete(`/api/v2/stages/${a.id}`), 400, new RegExp(`stage ${a.id} still has 2 deals`));
      assertStatus(await api.delete(`/api/v2/pipelines/${second.id}`), 400, new RegExp(`pipeline ${second.id} still has 3 deals`));
      assertStatus(await api.patch(`/api/v2/stages/${b.id}`, { pipeline_id: main.id }), 400, /cannot move to another pipeline/);
      assertStatus(await api.delete(`/v1/stages?ids=${a.id},${b.id}`), 400, /still have 3 deals/);
      // Moved or deleted, the deals no longer hold the pipeline back.
      await api.patch(`/api/v2/deals/${byStage.id}`, { stage_id: stages[1].id });
      await api.delete(`/api/v2/deals/${byPipeline.id}`);
      await api.patch(`/api/v2/deals/${plain.id}`, { pipeline_id: main.id });
      assertStatus(await api.delete(`/api/v2/pipelines/${second.id}`), 200);
      assert.deepEqual(await titles(`pipeline_id=${main.id}`), ['By stage', 'Untouched']);
      assertStatus(await api.post('/api/v2/deals', { title: 'Gone stage', stage_id: a.id }), 400, new RegExp(`stage_id ${a.id} is not a stage of this company`));
    });

    it("keeps companies apart: another company's pipelines and stages answer 404 and are never listed or usable", async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { pipeline, stages } = await defaults(mine.api);
      const other = theirs.api;
      for (const path of [`/api/v2/pipelines/${pipeline.id}`, `/api/v2/stages/${stages[0].id}`, `/v1/pipelines/${pipeline.id}`, `/v1/stages/${stages[0].id}`, `/api/v2/stages?pipeline_id=${pipeline.id}`, `/v1/stages?pipeline_id=${pipeline.id}`]) {
        assertStatus(await other.get(path), 404);
      }
      assertStatus(await other.patch(`/api/v2/pipelines/${pipeline.id}`, { name: 'Taken' }), 404);
      assertStatus(await other.put(`/v1/pipelines/${pipeline.id}`, { name: 'Taken' }), 404);
      assertStatus(await other.patch(`/api/v2/stages/${stages[0].id}`, { name: 'Taken' }), 404);
      assertStatus(await other.put(`/v1/stages/${stages[0].id}`, { name: 'Taken' }), 404);
      assertStatus(await other.delete(`/api/v2/stages/${stages[0].id}`), 404);
      assertStatus(await other.delete(`/v1/stages/${stages[1].id}`), 404);
      assertStatus(await other.delete(`/v1/stages?ids=${stages[2].id}`), 404);
      await other.post('/api/v2/pipelines', { name: 'Theirs' });
      assertStatus(await other.delete(`/api/v2/pipelines/${pipeline.id}`), 404);
      assertStatus(await other.delete(`/v1/pipelines/${pipeline.id}`), 404);
      assertStatus(await other.post('/api/v2/stages', { name: 'Sneaky', pipeline_id: pipeline.id }), 400, /is not a pipeline of this company/);
      assertStatus(await other.post('/api/v2/deals', { title: 'Sneaky', stage_id: stages[0].id }), 400, /is not a stage of this company/);
      assertStatus(await other.post('/api/v2/deals', { title: 'Sneaky', pipeline_id: pipeline.id }), 400, /is not a pipeline of this company/);
      const theirIds = (await other.get('/api/v2/stages')).body.data.map((s: { id: number }) => s.id);
      assert.ok(!theirIds.includes(stages[0].id));
      assert.equal((await other.get('/api/v2/pipelines')).body.data.length, 2);
      assert.equal((await other.get(`/api/v2/deals?stage_id=${stages[0].id}`)).body.data.length, 0);
      const after = await defaults(mine.api);
      assert.deepEqual(after.stages.map((s: { name: string }) => s.name), DEFAULT_STAGES, 'nothing changed');
      assert.equal(after.pipeline.name, 'Pipeline');
    });

    it('takes v1 bodies leniently, refuses bad input with a 400 naming the field, and lets only admins write', async () => {
      const { api, addUser } = await newTenant(server);
      const v1 = await api.post('/v1/pipelines', { name: 'Legacy', deal_probability: '1', active: 1 });
      assertStatus(v1, 200);
      assert.equal(v1.body.data.deal_probability, true);
      const stage = await api.post('/v1/stages', { name: 'Old', pipeline_id: String(v1.body.data.id), rotten_flag: 'true', rotten_days: '3', deal_probability: '40' });
      assertStatus(stage, 200);
      assert.deepEqual([stage.body.data.rotten_flag, stage.body.data.rotten_days, stage.body.data.deal_probability], [true, 3, 40]);
      const put = await api.put(`/v1/stages/${stage.body.data.id}`, { order_nr: 9, rotten_flag: 0 });
      assertStatus(put, 200);
      assert.deepEqual([put.body.data.order_nr, put.body.data.rotten_flag], [9, false]);
      assert.equal((await api.get(`/api/v2/stages/${stage.body.data.id}`)).body.data.order_nr, 9, 'v1 writes read the same through v2');
      assertStatus(await api.put(`/v1/pipelines/${v1.body.data.id}`, { active: 0 }), 200);
      assert.equal((await api.get(`/v1/pipelines/${v1.body.data.id}`)).body.data.active, false);
      const second = (await api.post('/v1/stages', { name: 'Second', pipeline_id: v1.body.data.id })).body.data;
      const bulk = await api.delete(`/v1/stages?ids=${stage.body.data.id},${second.id}`);
      assertStatus(bulk, 200);
      assert.deepEqual(bulk.body.data, { id: [stage.body.data.id, second.id] });
      assertStatus(await api.delete(`/v1/pipelines/${v1.body.data.id}`), 200);

      const { pipeline } = await defaults(api);
      const cases: [string, string, unknown, RegExp][] = [
        ['post', '/api/v2/pipelines', {}, /name must be given/],
        ['post', '/api/v2/pipelines', { name: '  ' }, /name must not be empty/],
        ['post', '/api/v2/pipelines', { name: 'x', color: 'red' }, /unknown body property "color"/],
        ['post', '/api/v2/stages', { name: 'x' }, /pipeline_id must be given/],
        ['post', '/api/v2/stages', { name: 'x', pipeline_id: 99999999 }, /pipeline_id 99999999 is not a pipeline of this company/],
        ['post', '/api/v2/stages', { name: 'x', pipeline_id: pipeline.id, deal_probability: 101 }, /deal_probability must be a whole number from 0 to 100/],
        ['post', '/api/v2/stages', { name: 'x', pipeline_id: pipeline.id, days_to_rotten: 0 }, /days_to_rotten must be a whole number of days/],
        ['post', '/v1/stages', { name: 'x', pipeline_id: pipeline.id, rotten_flag: 'yes' }, /rotten_flag must be 0, 1, true or false/],
        ['post', '/v1/pipelines', { name: 'x', order_nr: 'first' }, /order_nr must be a whole number/],
      ];
      for (const [method, path, body, message] of cases) {
        assertStatus(await (api as unknown as Record<string, (p: string, b: unknown) => Promise<ApiResponse>>)[method](path, body), 400, message);
      }
      assertStatus(await api.get('/api/v2/stages?sort_by=name'), 400, /sort_by/);
      assertStatus(await api.get('/api/v2/pipelines?sort_by=order_nr'), 400, /sort_by/);
      assertStatus(await api.get('/api/v2/stages?sort_by=order_nr&cursor=forged'), 400, /cursor is not valid/);
      assertStatus(await api.delete('/v1/stages?ids=abc'), 400, /ids/);
      assert.equal((await api.get('/api/v2/pipelines')).body.data.length, 1, 'nothing was created by the failed requests');

      const regular = await addUser();
      assertStatus(await regular.api.get('/api/v2/pipelines'), 200);
      assertStatus(await regular.api.get(`/v1/stages?pipeline_id=${pipeline.id}`), 200);
      assertStatus(await regular.api.post('/api/v2/pipelines', { name: 'Mine' }), 403, /Only admins/);
      assertStatus(await regular.api.patch(`/api/v2/pipelines/${pipeline.id}`, { name: 'Mine' }), 403, /Only admins/);
      assertStatus(await regular.api.post('/v1/stages', { name: 'Mine', pipeline_id: pipeline.id }), 403, /Only admins/);
      const deal = await regular.api.post('/api/v2/deals', { title: 'Anyone may place a deal' });
      assertStatus(deal, 200);
      assert.equal(deal.body.data.pipeline_id, pipeline.id);
    });
  });
}
