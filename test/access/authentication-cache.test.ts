import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/store/db.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

// Remembered tokens (SQLite) must never outlive a change: every case below writes through a second connection to
// the same database, as another process would, right after the token was used (and so remembered).
for (const backend of testBackends()) {
  describe(`authentication while tokens change [${backend.name}]`, () => {
    let server: TestServer;
    let other: Store;
    before(async () => {
      server = await startTestServer(backend);
      other = openStore(server.config.database);
    });
    after(async () => {
      await other.close();
      await server.close();
    });

    it('refuses a token at once after another connection deactivates its user, and accepts it again once reactivated', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      for (let i = 0; i < 3; i++) assert.equal((await colleague.api.get('/v1/users/me')).status, 200);
      await other.db.updateTable('users').set({ active_flag: 0 }).where('id', '=', colleague.userId).execute();
      assert.equal((await colleague.api.get('/v1/users/me')).status, 401);
      await other.db.updateTable('users').set({ active_flag: 1 }).where('id', '=', colleague.userId).execute();
      assert.equal((await colleague.api.get('/v1/users/me')).status, 200);
    });

    it('refuses a token at once after another connection deletes it, while other tokens keep working', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      assert.equal((await colleague.api.get('/api/v2/persons')).status, 200);
      assert.equal((await tenant.api.get('/api/v2/persons')).status, 200);
      await other.db.deleteFrom('api_tokens').where('user_id', '=', colleague.userId).execute();
      assert.equal((await colleague.api.get('/api/v2/persons')).status, 401);
      assert.equal((await tenant.api.get('/api/v2/persons')).status, 200);
    });

    it('keeps the settings stamp while nothing changes and moves it by the next turn of the event loop when another connection changes a user', async () => {
      const tenant = await newTenant(server);
      const stamp = async () => {
        let value: string | undefined;
        // PostgreSQL's first call opens the listening connection: ask until it listens.
        for (let i = 0; i < 200 && value === undefined; i++) value = await server.store.settingsStamp();
        return value;
      };
      const before = await stamp();
      assert.notEqual(before, undefined);
      assert.equal(await stamp(), before);
      await other.db.updateTable('users').set({ name: 'Renamed' }).where('id', '=', tenant.userId).execute();
      // SQLite reads another connection's changes once per turn (once-per-turn.ts): every request read
      // after the change, in a later turn, sees it.
      await new Promise((resolve) => setImmediate(resolve));
      const after = await stamp();
      assert.notEqual(after, undefined);
      assert.notEqual(after, before);
      assert.equal(await stamp(), after);
    });

    it('answers for the admin flag as it is now: a demoted admin is refused an admin-only operation at once', async () => {
      const tenant = await newTenant(server);
      const body = { name: 'New Colleague', email: `new-${Date.now()}@example.com` };
      assert.equal((await tenant.api.get('/v1/users/me')).body.data.is_admin, 1);
      await other.db.updateTable('users').set({ is_admin: 0 }).where('id', '=', tenant.userId).execute();
      assert.equal((await tenant.api.post('/v1/users', body)).status, 403);
    });
  });
}
