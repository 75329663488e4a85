import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach } from 'node:test';
import pg from 'pg';
import { type Config, parseDatabaseUrl } from '../../src/app/config.ts';
import { type WebhookConfig, defaultTargets } from '../../src/domain/webhooks/webhook-delivery-settings.ts';
import type { HostResolver } from '../../src/domain/webhooks/delivery-targets.ts';
import type { Clock } from '../../src/domain/webhooks/delivery-policy.ts';
import { startServer } from '../../src/app/server.ts';
import assert from 'node:assert/strict';
import type { Api, Backend, TestServer } from './server.ts';

/** Short timings so retries and timeouts happen in test time; every webhook test server uses the same ones. */
export const FAST_WEBHOOKS: WebhookConfig = {
  dispatcher: true,
  pollIntervalMs: 50,
  concurrency: 4,
  timeoutMs: 1000,
  retryDelaysMs: [100, 200, 300],
  // As outside production: the receivers listen on 127.0.0.1.
  targets: defaultTargets(false),
};

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  at: number;
}

/** What to answer a request with: a status, or 'hang' to never answer (until the receiver closes). */
export type Reply = number | 'hang';

/**
 * A real HTTP endpoint on 127.0.0.1 for webhooks to be delivered to. It records every request and answers as
 * `reply` says (200 unless told otherwise).
 */
export class Receiver {
  readonly received: Received[] = [];
  reply: (request: Received, index: number) => Reply = () => 200;
  /** Headers sent with every answer (a redirect's Location, say). */
  headers: Record<string, string> = {};
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();
  private waiters: (() => void)[] = [];

  private constructor() {
    this.server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // recorded as text
        }
        const request: Received = { path: req.url ?? '', headers: req.headers, body, at: Date.now() };
        const index = this.received.push(request) - 1;
        const answer = this.reply(request, index);
        if (answer === 'hang') this.hanging.add(res);
        else res.writeHead(answer, { 'content-type': 'application/json', ...this.headers }).end('{"ok":true}');
        for (const wake of this.waiters) wake();
      });
    });
  }

  static async start(port = 0): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** The parsed bodies received so far. */
  get bodies(): any[] {
    return this.received.map((r) => r.body);
  }

  /** Resolves once `count` requests (in all) have arrived; fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} webhook requests, got ${this.received.length} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
    return this.received.slice(0, count);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A clock that only moves when told. */
export class ManualClock {
  constructor(public now: number) {}
  readonly read: Clock = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/**
 * A database of the test's own: a new SQLite file, or a new PostgreSQL database beside PERSONSD_TEST_PG_URL's
 * (dropped afterwards). Dispatchers claim every due event in their database, so webhook tests must not share one
 * with test servers that run on other clocks or timings.
 */
export async function isolatedDatabaseUrl(backend: Backend): Promise<{ url: string; cleanup(): Promise<void> }> {
  const given = backend.databaseUrl();
  if (backend.name === 'sqlite') return { url: given.url, cleanup: async () => given.cleanup() };
  const url = new URL(given.url);
  const name = `${url.pathname.slice(1)}_wh_${randomBytes(5).toString('hex')}`.slice(-63);
  await adminQuery(given.url, `CREATE DATABASE "${name}"`);
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanup: () => adminQuery(given.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface WebhookServerOptions {
  clock?: ManualClock;
  webhooks?: Partial<WebhookConfig>;
  /** Another server's database, for several processes on one database. */
  databaseUrl?: string;
  /** Resolves webhook host names instead of the system resolver. */
  resolveHost?: HostResolver;
}

/** A test server on a database of its own (or the given one), delivering webhooks with FAST_WEBHOOKS timings. */
export async function startWebhookServer(backend: Backend, options: WebhookServerOptions = {}): Promise<TestServer & { databaseUrl: string }> {
  const db = options.databaseUrl ? { url: options.databaseUrl, cleanup: async () => {} } : await isolatedDatabaseUrl(backend);
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    database: parseDatabaseUrl(db.url, 5),
    logLevel: 'silent',
    bodyLimit: 1024 * 1024,
    bootstrapToken: undefined,
    workers: 1,
    purgeIntervalMs: 3_600_000,
    webhooks: { ...FAST_WEBHOOKS, ...options.webhooks },
  };
  const server = await startServer(config, { logger: false, clock: options.clock?.read, resolveHost: options.resolveHost });
  return {
    ...server,
    config,
    databaseUrl: db.url,
    async close() {
      await server.close();
      await db.cleanup();
    },
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));

export interface PersonsdProcess {
  url: string;
  /** Kills the process with the signal and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `node bin/personsd.js serve` on a free port with the given environment; resolves once it listens. */
export function spawnPersonsd(env: Record<string, string>): Promise<PersonsdProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WORKERS: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`personsd did not start within 60 s:\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`personsd exited with ${code} before listening:\n${stderr}`));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        async kill(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
  });
}

/** What a webhook test suite shares: its server, and each test's own receiver (so tests' requests stay apart). */
export interface WebhookSuite {
  server: TestServer & { databaseUrl: string };
  receiver: Receiver;
}

/** Registers the enclosing `describe`'s hooks: one webhook server for the suite, a fresh receiver per test. */
export function webhookSuite(backend: Backend, options: WebhookServerOptions = {}): WebhookSuite {
  const suite = {} as WebhookSuite;
  before(async () => {
    suite.server = await startWebhookServer(backend, options);
  });
  after(() => suite.server.close());
  beforeEach(async () => {
    suite.receiver = await Receiver.start();
  });
  afterEach(() => suite.receiver.close());
  return suite;
}

/** Subscribes a webhook to every event (unless `extra` narrows it) and returns it; anything but a 201 fails. */
export async function subscribeWebhook(api: Api, url: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await api.post('/v1/webhooks', { subscription_url: url, event_action: '*', event_object: '*', ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

/** The webhook's delivery log, oldest first, once it holds `count` records. */
export async function deliveryLog(api: Api, webhookId: number, count: number): Promise<any[]> {
  return eventually(
    async () => {
      const res = await api.get(`/v1/webhooks/${webhookId}/deliveries`);
      return res.body.data.length >= count && [...res.body.data].reverse();
    },
    5000,
    `${count} delivery records`,
  );
}
