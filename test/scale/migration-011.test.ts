import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { up } from '../../src/store/migrations/011-deal-links.ts';
import { isolatedServerSuite } from '../helpers/isolated-database.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

/*
 * Migration 011 unlinks the live deals of persons and organizations deleted before deleting them did so itself.
 * Runs on a database of its own: it deletes a person and an organization the old way and runs the migration again.
 */
for (const backend of testBackends()) {
  describe(`migration 011: deals of persons and organizations deleted earlier [${backend.name}]`, { timeout: 60_000 }, () => {
    const suite = isolatedServerSuite(backend);

    it('unlinks them; links to live records and deleted deals stay', async () => {
      const { api } = await newTenant(suite.server);
      const gonePerson = (await api.post('/api/v2/persons', { name: 'Gone' })).body.data.id as number;
      const livePerson = (await api.post('/api/v2/persons', { name: 'Live' })).body.data.id as number;
      const goneOrg = (await api.post('/api/v2/organizations', { name: 'Gone' })).body.data.id as number;
      const liveOrg = (await api.post('/api/v2/organizations', { name: 'Live' })).body.data.id as number;
      const stale = (await api.post('/api/v2/deals', { title: 'Stale', person_id: gonePerson, org_id: goneOrg })).body.data.id as number;
      const mixed = (await api.post('/api/v2/deals', { title: 'Mixed', person_id: livePerson, org_id: goneOrg })).body.data.id as number;
      const fine = (await api.post('/api/v2/deals', { title: 'Fine', person_id: livePerson, org_id: liveOrg })).body.data.id as number;
      const deletedDeal = (await api.post('/api/v2/deals', { title: 'Deleted', person_id: gonePerson })).body.data.id as number;
      assert.equal((await api.delete(`/api/v2/deals/${deletedDeal}`)).status, 200);

      const store = openStore(parseDatabaseUrl(suite.database.url, 1));
      try {
        // Deleted by an earlier release: marked deleted, their deals left linked.
        await store.db.updateTable('persons').set({ deleted_time: '2026-01-01T00:00:00Z' }).where('id', '=', gonePerson).execute();
        await store.db.updateTable('organizations').set({ deleted_time: '2026-01-01T00:00:00Z' }).where('id', '=', goneOrg).execute();
        await store.db.transaction().execute((trx) => up(trx, store.dialect));
        const links = await store.db.selectFrom('deals').select(['id', 'person_id', 'org_id']).where('id', 'in', [stale, mixed, fine, deletedDeal]).orderBy('id').execute();
        assert.deepEqual(links, [
          { id: stale, person_id: null, org_id: null },
          { id: mixed, person_id: livePerson, org_id: null },
          { id: fine, person_id: livePerson, org_id: liveOrg },
          { id: deletedDeal, person_id: gonePerson, org_id: null },
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
