import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { up } from '../../src/store/migrations/010-gaps.ts';
import { isolatedServerSuite } from '../helpers/isolated-database.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

/*
 * Migration 010 unlinks the persons of organizations deleted before deleting an organization did so itself. Runs
 * on a database of its own: it writes a deleted organization the old way and runs the migration again.
 */
for (const backend of testBackends()) {
  describe(`migration 010: persons of organizations deleted earlier [${backend.name}]`, { timeout: 60_000 }, () => {
    const suite = isolatedServerSuite(backend);

    it('unlinks them and drops their same-organization match keys; other links stay', async () => {
      const { api } = await newTenant(suite.server);
      const gone = (await api.post('/api/v2/organizations', { name: 'Gone' })).body.data.id as number;
      const live = (await api.post('/api/v2/organizations', { name: 'Live' })).body.data.id as number;
      const a = (await api.post('/api/v2/persons', { name: 'Ann Lee', org_id: gone })).body.data.id as number;
      const b = (await api.post('/api/v2/persons', { name: 'Ann Lee', org_id: gone })).body.data.id as number;
      const c = (await api.post('/api/v2/persons', { name: 'Cy', org_id: live })).body.data.id as number;
      assert.equal((await api.get(`/api/v2/persons/${a}/duplicates`)).body.data[0].rule, 'same_name_same_organization');

      const store = openStore(parseDatabaseUrl(suite.database.url, 1));
      try {
        // An organization deleted by an earlier release: marked deleted, its persons left linked.
        await store.db.updateTable('organizations').set({ deleted_time: '2026-01-01T00:00:00Z' }).where('id', '=', gone).execute();
        await sql`alter table person_merges drop column repointed_references`.execute(store.db);
        await store.db.transaction().execute((trx) => up(trx, store.dialect));
      } finally {
        await store.close();
      }

      for (const id of [a, b]) assert.equal((await api.get(`/api/v2/persons/${id}`)).body.data.org_id, null);
      assert.equal((await api.get(`/api/v2/persons/${c}`)).body.data.org_id, live);
      assert.deepEqual((await api.get(`/api/v2/persons?org_id=${gone}`)).body.data, []);
      assert.deepEqual((await api.get(`/api/v2/persons/${a}/duplicates`)).body.data.map((d: any) => [d.id, d.rule]), [[b, 'same_name']]);
    });
  });
}
