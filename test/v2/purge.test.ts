import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeDeleted } from '../../src/domain/purge.ts';
import { toStoredTime } from '../../src/domain/time.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const DAY = 86_400_000;

for (const backend of testBackends()) {
  describe(`purge of deleted rows [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('removes persons and organizations deleted more than 30 days ago, and keeps recent ones', async () => {
      const { api } = await newTenant(server);
      const db = server.store.db;
      const create = async (name: string, extra: Record<string, unknown> = {}) =>
        (await api.post('/api/v2/persons', { name, emails: [{ value: `${name.toLowerCase()}@example.com` }], ...extra })).body.data.id as number;
      const oldOrg = (await api.post('/api/v2/organizations', { name: 'Old Org' })).body.data.id as number;
      const recentOrg = (await api.post('/api/v2/organizations', { name: 'Recent Org' })).body.data.id as number;
      const old = await create('Old');
      const recent = await create('Recent');
      const live = await create('Live');
      const linked = await create('Linked', { org_id: oldOrg });
      for (const id of [old, recent]) assert.equal((await api.delete(`/api/v2/persons/${id}`)).status, 200);
      for (const id of [oldOrg, recentOrg]) assert.equal((await api.delete(`/api/v2/organizations/${id}`)).status, 200);

      // Other tests share the PostgreSQL database, so rather than purging with a far-future clock (which would
      // remove their recently deleted rows too), the "old" rows are made to look deleted 31 days ago.
      const longAgo = toStoredTime(new Date(Date.now() - 31 * DAY));
      await db.updateTable('persons').set({ deleted_time: longAgo }).where('id', '=', old).execute();
      await db.updateTable('organizations').set({ deleted_time: longAgo }).where('id', '=', oldOrg).execute();

      // 29 days from now, the rows deleted today are 29 days old: kept. The old ones are 60 days old: removed.
      // The counts are not asserted: a purge in another test file may remove these rows first.
      const result = await purgeDeleted(db, new Date(Date.now() + 29 * DAY));
      assert.equal(typeof result.persons, 'number');

      const personIds = (await db.selectFrom('persons').select('id').where('id', 'in', [old, recent, live, linked]).execute()).map((r) => r.id).sort((a, b) => a - b);
      assert.deepEqual(personIds, [recent, live, linked].sort((a, b) => a - b));
      const contacts = await db.selectFrom('person_contacts').select('person_id').where('person_id', '=', old).execute();
      assert.deepEqual(contacts, [], 'the contact rows go with the person');
      const orgIds = (await db.selectFrom('organizations').select('id').where('id', 'in', [oldOrg, recentOrg]).execute()).map((r) => r.id);
      assert.deepEqual(orgIds, [recentOrg]);

      // Persons that pointed at a purged organization lose the link and stay readable.
      const linkedNow = await api.get(`/api/v2/persons/${linked}`);
      assert.equal(linkedNow.status, 200);
      assert.equal(linkedNow.body.data.org_id, null);
      assert.equal((await api.get(`/api/v2/persons/${live}`)).status, 200);
      assert.equal((await api.get(`/api/v2/persons/${recent}`)).status, 404);
    });
  });
}
