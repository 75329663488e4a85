import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/app.ts';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { createServices } from '../../src/app/services.ts';
import { issueToken } from '../../src/domain/users/tokens.ts';
import { createCompany } from '../../src/domain/users/users.service.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { testBackends } from '../helpers/server.ts';

/*
 * A person write checks its token, its company's identity settings, its mandatory fields and its webhooks against the
 * store's settings stamp; on PostgreSQL every stamp asked without a moment costs a round trip. The request's later
 * checks name the moment the request arrived, so the round trip its token's check made answers them all (see
 * test/unit/store/settings-signal.test.ts for the round trips themselves; remembered-settings.test.ts for changes
 * made elsewhere reaching the very next write).
 */
for (const backend of testBackends()) {
  describe(`the settings checks of one request [${backend.name}]`, () => {
    let store: Store;
    let app: FastifyInstance;
    let cleanup: () => void;
    let token: string;
    const asked: Array<number | undefined> = [];
    before(async () => {
      const database = backend.databaseUrl();
      cleanup = database.cleanup;
      store = openStore(parseDatabaseUrl(database.url, 5));
      await migrateToLatest(store.db, store.dialect);
      const counted: Store = { ...store, settingsStamp: (since) => (asked.push(since), store.settingsStamp(since)) };
      app = await buildApp(await createServices(counted), { logger: false });
      const company = await createCompany(store.db, { name: 'Stamps', adminName: 'Stamp Admin', adminEmail: `stamps-${Date.now()}@example.com` });
      token = `stamps-${Date.now()}-token-0123456789abcdef`;
      await issueToken(store.db, company.companyId, company.admin.id, token);
    });
    after(async () => {
      await app.close();
      await store.close();
      cleanup();
    });

    /** The moments the request's stamps were asked for, and its answer. */
    async function send(method: 'POST' | 'PATCH', url: string, payload: object) {
      asked.length = 0;
      const sent = performance.now();
      const response = await app.inject({ method, url, payload, headers: { 'x-api-token': token } });
      assert.equal(response.statusCode, 200, response.body);
      return { since: [...asked], sent, answered: performance.now(), body: response.json() };
    }

    it('checks a create against the moment it arrived after its token check', async () => {
      const { since, sent, answered, body } = await send('POST', '/api/v2/persons', { name: 'One Round Trip', emails: [{ value: 'one@example.com' }] });
      assert.equal(since.length, 4, 'the token, the identity settings, the mandatory fields and the webhooks');
      assert.equal(since[0], undefined, 'the token is checked against every change so far');
      const [arrived] = since.slice(1);
      assert.equal(typeof arrived, 'number');
      assert.ok(arrived! >= sent && arrived! <= answered, 'the moment the request arrived');
      assert.deepEqual(since.slice(1), [arrived, arrived, arrived]);

      const patched = await send('PATCH', `/api/v2/persons/${body.data.id}`, { job_title: 'Checked once' });
      assert.equal(patched.since.length, 3, 'the token, the identity settings and the webhooks');
      assert.equal(patched.since[0], undefined);
      assert.ok(patched.since[1]! >= patched.sent, 'a later request names its own moment, not an earlier one');
      assert.deepEqual(patched.since.slice(1), [patched.since[1], patched.since[1]]);
    });
  });
}
