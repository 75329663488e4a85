import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiResponse, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

function assertError(res: ApiResponse, status: number, message?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  if (message) assert.match(res.body.error, message);
}

for (const backend of testBackends()) {
  describe(`PUT /v1/deals/{id}/merge [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('moves activities, notes and followers to the surviving deal, fills its empty fields and deletes the merged one', async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const { api } = mine;
      const seats = (await api.post('/v1/dealFields', { name: 'Seats', field_type: 'double' })).body.data.key;
      const person = (await api.post('/api/v2/persons', { name: 'Ann Lee' })).body.data.id;
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      const merged = (await api.post('/api/v2/deals', { title: 'Old deal', person_id: person, org_id: org, expected_close_date: '2026-09-30', custom_fields: { [seats]: 40 } })).body.data.id;
      const survivor = (await api.post('/api/v2/deals', { title: 'Big deal', value: 5000 })).body.data.id;
      const foreign = (await theirs.api.post('/api/v2/deals', { title: 'Foreign deal' })).body.data.id;
      const note = (await api.post('/v1/notes', { content: 'About the old deal', deal_id: merged })).body.data.id;
      const activity = (await api.post('/api/v2/activities', { subject: 'Call', deal_id: merged, due_date: '2026-03-01' })).body.data.id;
      const follower = await mine.addUser();
      await api.post(`/api/v2/deals/${merged}/followers`, { user_id: follower.userId });

      assertError(await api.put(`/v1/deals/${merged}/merge`, { merge_with_id: merged }), 400, /another deal/);
      assertError(await api.put(`/v1/deals/${merged}/merge`, { merge_with_id: foreign }), 400, /merge_with_id/);
      assertError(await api.put(`/v1/deals/${merged}/merge`, {}), 400, /merge_with_id/);
      assertError(await api.put(`/v1/deals/${merged}/merge`, { merge_with_id: 'abc' }), 400, /merge_with_id/);
      assertError(await api.put(`/v1/deals/${foreign}/merge`, { merge_with_id: survivor }), 404, /Deal not found/);
      assertError(await api.put('/v1/deals/987654/merge', { merge_with_id: survivor }), 404);
      assert.equal((await api.get(`/api/v2/activities/${activity}`)).body.data.deal_id, merged, 'a refused merge changes nothing');

      const answer = await api.put(`/api/v1/deals/${merged}/merge`, { merge_with_id: String(survivor) });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const result = answer.body.data;
      assert.deepEqual([result.id, result.merge_what_id, result.title, result.value], [survivor, merged, 'Big deal', 5000], 'the survivor keeps its values');
      assert.equal(result[seats], 40, 'an empty custom value is filled');
      const v2 = (await api.get(`/api/v2/deals/${survivor}`)).body.data;
      assert.deepEqual([v2.person_id, v2.org_id, v2.expected_close_date], [person, org, '2026-09-30'], 'empty links and dates are filled');
      assertError(await api.get(`/v1/deals/${merged}`), 404);
      assert.equal((await api.get(`/api/v2/activities/${activity}`)).body.data.deal_id, survivor);
      assert.equal((await api.get(`/v1/notes/${note}`)).body.data.deal_id, survivor);
      const followers = (await api.get(`/api/v2/deals/${survivor}/followers`)).body.data.map((f: { user_id: number }) => f.user_id);
      assert.ok(followers.includes(follower.userId));
      const changelog = (await api.get(`/api/v2/deals/${survivor}/followers/changelog`)).body.data;
      assert.ok(changelog.some((c: { action: string; follower_user_id: number }) => c.action === 'added' && c.follower_user_id === follower.userId));
    });

    it('refuses a deal the caller may not see as not found', async () => {
      const tenant = await newTenant(server);
      const member = await tenant.addUser();
      const hidden = (await tenant.api.post('/api/v2/deals', { title: 'Private', visible_to: 1 })).body.data.id;
      const open = (await tenant.api.post('/api/v2/deals', { title: 'Shared', visible_to: 7 })).body.data.id;
      assertError(await member.api.put(`/v1/deals/${hidden}/merge`, { merge_with_id: open }), 404);
      assertError(await member.api.put(`/v1/deals/${open}/merge`, { merge_with_id: hidden }), 400, /merge_with_id/);
      assert.equal((await tenant.api.get(`/api/v2/deals/${hidden}`)).status, 200);
      assert.equal((await tenant.api.get(`/api/v2/deals/${open}`)).status, 200);
    });
  });
}
