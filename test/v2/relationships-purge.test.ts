import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { purgeDeleted } from '../../src/domain/purge.ts';
import { toStoredTime } from '../../src/domain/time.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const DAY = 86_400_000;

for (const backend of testBackends()) {
  describe(`purge of deleted persons' relationships and of deleted deals [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it("a purged person's followers, history and picture go, its deals stay unlinked; old deleted deals go", async () => {
      const tenant = await newTenant(server);
      const { api, addUser } = tenant;
      const db = server.store.db;
      const follower = await addUser();
      const person = (await api.post('/api/v2/persons', { name: 'Old' })).body.data;
      const deal = (await api.post('/api/v2/deals', { title: 'Kept', person_id: person.id })).body.data;
      await api.post(`/api/v2/persons/${person.id}/followers`, { user_id: follower.userId });
      await api.patch(`/api/v2/persons/${person.id}`, { job_title: 'CTO' });
      const png = await sharp({ create: { width: 128, height: 128, channels: 3, background: { r: 9, g: 9, b: 9 } } }).png().toBuffer();
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(png)]), 'p.png');
      const upload = await fetch(`${server.url}/v1/persons/${person.id}/picture`, { method: 'POST', headers: { 'x-api-token': tenant.token }, body: form });
      assert.equal(upload.status, 200);
      const oldDeal = (await api.post('/api/v2/deals', { title: 'Old deal' })).body.data;
      const recentDeal = (await api.post('/api/v2/deals', { title: 'Recent deal' })).body.data;
      await api.delete(`/api/v2/persons/${person.id}`);
      await api.delete(`/api/v2/deals/${oldDeal.id}`);
      await api.delete(`/api/v2/deals/${recentDeal.id}`);

      // Shared PostgreSQL database: backdate this test's rows instead of purging with a far-future clock.
      const longAgo = toStoredTime(new Date(Date.now() - 31 * DAY));
      await db.updateTable('persons').set({ deleted_time: longAgo }).where('id', '=', person.id).execute();
      await db.updateTable('deals').set({ deleted_time: longAgo }).where('id', '=', oldDeal.id).execute();
      const result = await purgeDeleted(db, new Date(Date.now() + 29 * DAY));
      assert.ok(result.persons >= 1);
      assert.ok(result.deals >= 1);

      const kept = await api.get(`/api/v2/deals/${deal.id}`);
      assert.equal(kept.status, 200);
      assert.equal(kept.body.data.person_id, null, 'the deal is not linked to the purged person');
      for (const table of ['person_followers', 'person_changes', 'person_pictures'] as const) {
        const rows = await db.selectFrom(table).select('id').where('person_id', '=', person.id).execute();
        assert.deepEqual(rows, [], `${table} rows go with the person`);
      }
      const deleted = (await api.get('/api/v2/deals?status=deleted')).body.data.map((d: { id: number }) => d.id);
      assert.deepEqual(deleted, [recentDeal.id], 'the old deleted deal is gone, the recent one is still listed');
    });
  });
}
