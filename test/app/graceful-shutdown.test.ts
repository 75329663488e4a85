import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { isolatedDatabase } from '../helpers/isolated-database.ts';
import { killLeftovers, startServeProcess } from '../helpers/personsd-process.ts';
import { testBackends } from '../helpers/server.ts';

const TOKEN = 'shutdown-test-token-0123456789';
const ADMIN = 'shutdown-admin-token-0123456789';

/** A webhook receiver that holds every request until the test lets it answer. */
async function holdingReceiver() {
  const held: ServerResponse[] = [];
  let arrived: () => void = () => {};
  const first = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((_req: IncomingMessage, res) => {
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    first,
    release: () => held.splice(0).forEach((res) => res.writeHead(200).end('{}')),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until(check: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const refusesConnections = (url: string) =>
  fetch(`${url}/health`).then(
    () => false,
    () => true,
  );

/** The counts the dispatcher left in the database once the process is gone. */
async function webhookState(url: string) {
  const store = openStore(parseDatabaseUrl(url, 1));
  try {
    const queued = await sql<{ n: number }>`select count(*) as n from webhook_outbox`.execute(store.db);
    const delivered = await sql<{ n: number }>`select count(*) as n from webhook_deliveries where result = 'success'`.execute(store.db);
    return { queued: Number(queued.rows[0].n), delivered: Number(delivered.rows[0].n) };
  } finally {
    await store.close();
  }
}

for (const backend of testBackends()) {
  describe(`SIGTERM [${backend.name}]`, () => {
    after(killLeftovers);

    async function scenario(shutdownTimeoutMs: number, requestMs: number) {
      const database = await isolatedDatabase(backend);
      const receiver = await holdingReceiver();
      const server = await startServeProcess({
        DATABASE_URL: database.url,
        PERSONSD_BOOTSTRAP_TOKEN: TOKEN,
        PERSONSD_ADMIN_TOKEN: ADMIN,
        LOG_LEVEL: 'info',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      });
      const call = (method: string, path: string, body?: unknown, token = TOKEN) =>
        fetch(server.url + path, {
          method,
          headers: { 'content-type': 'application/json', ...(path.startsWith('/_personsd') ? { 'x-personsd-admin-token': ADMIN } : { 'x-api-token': token }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      assert.equal((await call('POST', '/v1/webhooks', { subscription_url: receiver.url, event_action: 'create', event_object: 'person' })).status, 201);
      assert.equal((await call('POST', '/_personsd/faults', { method: 'GET', path: '/api/v2/persons', latency_ms: requestMs })).status, 201);
      assert.equal((await call('POST', '/api/v2/persons', { name: 'In flight' })).status, 200);
      await receiver.first;
      const slow = call('GET', '/api/v2/persons');
      // The slow request has arrived: /metrics counts it beside itself.
      await until(async () => /^personsd_http_requests_in_flight 2$/m.test(await (await fetch(`${server.url}/metrics`)).text()), 'the request in flight');
      const stopped = server.stop('SIGTERM');
      await until(() => refusesConnections(server.url), 'new connections refused');
      return { server, stopped, slow, receiver, database };
    }

    it('stops accepting, finishes the requests and webhook deliveries in flight, logs what it did and exits 0', async () => {
      const { server, stopped, slow, receiver, database } = await scenario(8000, 600);
      try {
        // The delivery answers while the process is stopping: it is recorded, not retried.
        setTimeout(() => receiver.release(), 300);
        const answer = await slow;
        assert.equal(answer.status, 200);
        assert.equal(((await answer.json()) as any).data[0].name, 'In flight');
        assert.equal(await stopped, 0);
        const logs = server.logs();
        const start = logs.find((line) => line.msg.startsWith('shutting down'));
        assert.ok(start, server.stdout());
        assert.equal(start.requests_in_flight, 1);
        assert.equal(start.webhook_deliveries_in_flight, 1);
        const done = logs.find((line) => line.msg === 'shutdown complete');
        assert.ok(done, server.stdout());
        assert.deepEqual(
          { ...done, ms: undefined },
          { ...done, ms: undefined, requests_drained: 1, requests_cut: 0, webhook_deliveries_finished: 1, webhook_deliveries_abandoned: 0 },
        );
        assert.ok(done.ms < 8000);
        assert.deepEqual(await webhookState(database.url), { queued: 0, delivered: 1 });
      } finally {
        await receiver.close();
        await database.drop();
      }
    });

    it('cuts requests and abandons deliveries that outlast SHUTDOWN_TIMEOUT_MS, keeping their events queued', async () => {
      const { server, stopped, slow, receiver, database } = await scenario(400, 30_000);
      try {
        await assert.rejects(slow);
        assert.equal(await stopped, 0);
        const logs = server.logs();
        assert.ok(logs.some((line) => line.level === 40 && line.requests_cut === 1 && /still running after 400 ms/.test(line.msg)));
        const done = logs.find((line) => line.msg === 'shutdown complete');
        assert.ok(done, server.stdout());
        assert.equal(done.requests_cut, 1);
        assert.equal(done.webhook_deliveries_finished, 0);
        assert.equal(done.webhook_deliveries_abandoned, 1);
        assert.ok(done.ms < 5000, `took ${done.ms} ms`);
        assert.deepEqual(await webhookState(database.url), { queued: 1, delivered: 0 });
      } finally {
        await receiver.close();
        await database.drop();
      }
    });
  });
}
