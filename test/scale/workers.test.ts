import assert from 'node:assert/strict';
import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { contactsVersusPersonRow } from '../helpers/consistency.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { type ServeProcess, isAlive, killLeftovers, startServeProcess } from '../helpers/personsd-process.ts';
import { Api, testBackends } from '../helpers/server.ts';

const TOKEN = 'workers-test-bootstrap-token-0123456789';

/** A GET on a connection of its own, so node:cluster's round-robin can hand it to any worker. */
function getOnNewConnection(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { agent: false, timeout: 10_000, headers: { 'x-api-token': TOKEN, connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode as number));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

/** The pids that logged "Server listening" (one per worker) and that logged handling a request. */
function workerPids(server: ServeProcess) {
  const logs = server.logs();
  return {
    listening: new Set(logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening')).map((l) => l.pid as number)),
    served: new Set(logs.filter((l) => l.msg === 'incoming request').map((l) => l.pid as number)),
  };
}

async function waitFor(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

for (const backend of testBackends()) {
  describe(`serve --workers [${backend.name}]`, { timeout: 240_000 }, () => {
    let database: IsolatedDatabase | undefined;
    let server: ServeProcess | undefined;
    afterEach(async () => {
      await server?.stop();
      await database?.drop();
      server = undefined;
      database = undefined;
    });
    after(killLeftovers);

    it('spreads requests over the workers, replaces a worker that dies, and shuts down cleanly', { timeout: 90_000 }, async () => {
      database = await isolatedDatabase(backend);
      server = await startServeProcess({ DATABASE_URL: database.url, PERSONSD_BOOTSTRAP_TOKEN: TOKEN, LOG_LEVEL: 'info' }, ['--workers', '2']);
      assert.match(server.stderr(), /2 worker processes listening on http:\/\/127\.0\.0\.1:\d+/);
      await waitFor(() => workerPids(server!).listening.size === 2, 'two workers to listen');
      const workers = workerPids(server).listening;
      assert.ok(!workers.has(server.pid), 'the primary only supervises');

      const statuses = await Promise.all(Array.from({ length: 20 }, () => getOnNewConnection(server!.url, '/api/v2/persons')));
      assert.deepEqual(statuses, statuses.map(() => 200));
      await waitFor(() => workerPids(server!).served.size === 2, 'both workers to log requests');

      // A worker killed outright (as by the OOM killer) is replaced, and the service keeps answering meanwhile.
      const [victim, survivor] = [...workers];
      // (A connection the primary hands out in the instant before it learns of the death is lost with the worker,
      // as with any crashing server; from then on the survivor takes every connection.)
      process.kill(victim, 'SIGKILL');
      await waitFor(() => server!.stderr().includes(`worker ${victim} exited (SIGKILL); starting another`), 'the primary to notice');
      assert.equal(await getOnNewConnection(server.url, '/api/v2/persons'), 200);
      await waitFor(() => workerPids(server!).listening.size === 3, 'a replacement worker to listen');
      const replacement = [...workerPids(server).listening].find((pid) => pid !== victim && pid !== survivor) as number;
      assert.ok(isAlive(replacement));
      // Round-robin hands the replacement every other new connection; ask until it has taken one.
      for (let i = 0; i < 20 && !workerPids(server).served.has(replacement); i++) await getOnNewConnection(server.url, '/api/v2/persons');
      assert.ok(workerPids(server).served.has(replacement), 'the replacement serves requests');

      const code = await server.stop('SIGTERM');
      assert.equal(code, 0);
      assert.ok(!isAlive(survivor) && !isAlive(replacement), 'no worker outlives the primary');
      assert.equal(server.stderr().match(/starting another/g)?.length, 1, 'no worker was restarted during shutdown');
      server = undefined;
    });

    it('keeps writes from several worker processes correct: unique ids, no lost updates, consistent contact rows', { timeout: 90_000 }, async () => {
      database = await isolatedDatabase(backend);
      server = await startServeProcess({ DATABASE_URL: database.url, PERSONSD_BOOTSTRAP_TOKEN: TOKEN }, ['--workers', '2']);
      // Separate connections, so the writes really come from both processes at once.
      const apis = Array.from({ length: 6 }, () => new Api(server!.url, TOKEN));
      const creates = await Promise.all(
        Array.from({ length: 60 }, (_, i) => apis[i % apis.length].post('/api/v2/persons', { name: `Worker race ${i}`, emails: [{ value: `w${i}@example.com` }] })),
      );
      assert.deepEqual(creates.map((r) => r.status), creates.map(() => 200));
      const ids = creates.map((r) => r.body.data.id);
      assert.equal(new Set(ids).size, ids.length);

      const id = ids[0];
      const store = openStore(parseDatabaseUrl(database.url, 1));
      try {
        for (let round = 1; round <= 6; round++) {
          const patches = [
            { job_title: `title ${round}` },
            { emails: [{ value: `round${round}@example.com` }, { value: `second${round}@example.com` }] },
            { im: [{ value: `im${round}` }] },
            { notes: `notes ${round}` },
          ];
          const responses = await Promise.all(patches.map((body, i) => apis[i].patch(`/api/v2/persons/${id}`, body)));
          assert.deepEqual(responses.map((r) => r.status), patches.map(() => 200), JSON.stringify(responses.map((r) => r.body)));
          const person = (await apis[0].get(`/api/v2/persons/${id}`)).body.data;
          assert.equal(person.job_title, `title ${round}`);
          assert.equal(person.notes, `notes ${round}`);
          assert.deepEqual(person.im.map((e: { value: string }) => e.value), [`im${round}`]);
          const { expected, stored } = await contactsVersusPersonRow(store.db, id);
          assert.deepEqual(stored, expected);
        }
      } finally {
        await store.close();
      }
    });

    it('starts one worker per core in production when no count is given', { timeout: 90_000 }, async () => {
      database = await isolatedDatabase(backend);
      server = await startServeProcess({ DATABASE_URL: database.url, PERSONSD_BOOTSTRAP_TOKEN: TOKEN, LOG_LEVEL: 'info', NODE_ENV: 'production' });
      const cores = availableParallelism();
      if (cores > 1) assert.match(server.stderr(), new RegExp(`${cores} worker processes listening`));
      await waitFor(() => workerPids(server!).listening.size === cores, `${cores} workers to listen`);
      assert.equal(await getOnNewConnection(server.url, '/health'), 200);
    });
  });
}
