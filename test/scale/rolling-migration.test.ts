import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { isolatedServerSuite } from '../helpers/isolated-database.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

/*
 * A rolling deploy: `personsd migrate` of the next release adds a column while processes of the current release
 * keep serving. Those processes hold prepared statements planned for the old table (`select *`), which PostgreSQL
 * would refuse from then on; they must keep answering. Runs on a database of its own, since it changes the schema.
 */
for (const backend of testBackends()) {
  describe(`a migration while serving [${backend.name}]`, { timeout: 120_000 }, () => {
    const suite = isolatedServerSuite(backend);

    it('keeps reads and writes working after another process adds a column to the tables they read', async () => {
      const { api } = await newTenant(suite.server);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await api.post('/api/v2/persons', { name: `Before ${i}`, emails: [{ value: `b${i}@example.com` }] })).body.data.id);
      // Every pooled connection prepares the statements these requests use.
      await Promise.all(ids.flatMap((id) => [api.get(`/api/v2/persons/${id}`), api.get('/api/v2/persons'), api.patch(`/api/v2/persons/${id}`, { notes: 'warm' })]));

      const migrator = openStore(parseDatabaseUrl(suite.database.url, 1));
      try {
        await sql`alter table persons add column next_release_column text`.execute(migrator.db);
        await sql`alter table organizations add column next_release_column text`.execute(migrator.db);
      } finally {
        await migrator.close();
      }

      const reads = await Promise.all(ids.flatMap((id) => [api.get(`/api/v2/persons/${id}`), api.get('/api/v2/persons')]));
      assert.deepEqual(reads.map((r) => r.status), reads.map(() => 200), JSON.stringify(reads.map((r) => r.body.error)));
      assert.ok(reads.every((r) => !JSON.stringify(r.body).includes('next_release_column')));
      const writes = await Promise.all(ids.map((id, i) => api.patch(`/api/v2/persons/${id}`, { job_title: `after ${i}` })));
      assert.deepEqual(writes.map((r) => r.status), writes.map(() => 200), JSON.stringify(writes.map((r) => r.body.error)));
      assert.equal((await api.post('/api/v2/persons', { name: 'After' })).status, 200);
      assert.equal((await api.post('/api/v2/organizations', { name: 'After Org' })).status, 200);
      assert.equal((await api.get(`/api/v2/persons/${ids[2]}`)).body.data.job_title, 'after 2');
    });
  });
}
