import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { killLeftovers, runPersonsd, startServeProcess } from '../helpers/personsd-process.ts';
import { Api, testBackends } from '../helpers/server.ts';

async function rowCounts(url: string): Promise<{ companies: number; users: number; tokens: number }> {
  const store = openStore(parseDatabaseUrl(url, 1));
  try {
    const count = async (table: 'companies' | 'users' | 'api_tokens') =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { companies: await count('companies'), users: await count('users'), tokens: await count('api_tokens') };
  } finally {
    await store.close();
  }
}

// The backends run side by side: each starts several short processes, mostly waiting on each other.
describe('the first start', { concurrency: true }, () => {
  after(killLeftovers);
  for (const backend of testBackends()) {
    describe(backend.name, () => {
      let database: IsolatedDatabase;
      let taken: Server;
      let takenPort: number;
      before(async () => {
        database = await isolatedDatabase(backend);
        taken = createServer();
        await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
        takenPort = (taken.address() as { port: number }).port;
      });
      after(async () => {
        taken.close();
        await database.drop();
      });

      it('creates nothing when it cannot listen, so the next start bootstraps and prints the token', async () => {
        const env = { DATABASE_URL: database.url };
        const inUse = `personsd: port ${takenPort} on 127.0.0.1 is already in use: stop the process that listens there, or choose another port with PORT or --port\n`;
        const [single, workers] = await Promise.all([
          runPersonsd(['serve', '--port', String(takenPort)], env),
          runPersonsd(['serve', '--port', String(takenPort), '--workers', '2'], env),
        ]);
        for (const failed of [single, workers]) {
          assert.equal(failed.stderr, inUse, 'one line, once, even with two workers');
          assert.equal(failed.code, 1);
          assert.equal(failed.stdout, '', 'no token printed');
        }
        assert.deepEqual(await rowCounts(database.url), { companies: 0, users: 0, tokens: 0 });
        const [none, noAdmin] = await Promise.all([runPersonsd(['users'], env), runPersonsd(['token', 'create', '--admin'], env)]);
        assert.equal(none.code, 0);
        assert.equal(none.stderr, 'no users yet: the first `personsd serve` creates a company, its admin and a token\n');
        assert.equal(noAdmin.stderr, 'personsd: the database has no company yet: `personsd serve` creates the first one and prints its token\n');
        assert.equal(noAdmin.code, 1);

        const served = await startServeProcess(env);
        try {
          const printed = /^personsd: created the first company \(id 1\), its admin \(user 1\) and this API token:\n\n {4}([0-9a-f]{40})\n/.exec(served.stdout());
          assert.ok(printed, served.stdout());
          const token = printed[1];
          assert.ok(served.stdout().includes(`curl -H 'x-api-token: ${token}' ${served.url}/api/v2/persons`));
          assert.match(served.stdout(), /`personsd token create --admin` issues the admin a new one \(and revokes\nthis one\); `personsd users` lists the users\./);
          const me = await new Api(served.url, token).get('/v1/users/me');
          assert.equal(me.status, 200);
          assert.equal(me.body.data.id, 1);
          assert.equal(me.body.data.is_admin, 1);

          // The operator who lost that token finds the users, and gets the admin another token without knowing any id.
          const [users, again] = await Promise.all([runPersonsd(['users'], env), runPersonsd(['token', 'create', '--admin'], env)]);
          assert.equal(users.code, 0, users.stderr);
          assert.equal(users.stdout, 'id  company  admin  active  name   email\n1   1        yes    yes     Admin  admin@example.com\n');
          assert.equal(again.code, 0, again.stderr);
          assert.match(again.stdout, /^[0-9a-f]{40}\n$/);
          assert.equal(again.stderr, 'issued for user 1 (Admin, admin@example.com) of company 1; their previous token no longer works\n');
          assert.equal((await new Api(served.url, again.stdout.trim()).get('/v1/users/me')).body.data.id, 1);
          assert.equal((await new Api(served.url, token).get('/v1/users/me')).status, 401, 'the lost token stops working');
        } finally {
          assert.equal(await served.stop(), 0);
        }
        assert.deepEqual(await rowCounts(database.url), { companies: 1, users: 1, tokens: 1 });
      });
    });
  }
});
