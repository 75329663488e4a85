import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { v1, v2 } from 'pipedrive';
import { after, afterEach, before, beforeEach } from 'node:test';
import { type Backend, type TestServer, startTestServer } from './server.ts';

/**
 * The official `pipedrive` client configured for one tenant of a test server, exactly as the README tells users
 * to configure it: API token in `apiKey` (sent as `x-api-token`), v2 under `/api/v2`, v1 under `/v1`.
 */
export interface OfficialClient {
  v1: v1.Configuration;
  v2: v2.Configuration;
}

export function officialClient(server: TestServer, token: string): OfficialClient {
  return {
    v1: new v1.Configuration({ apiKey: token, basePath: `${server.url}/v1` }),
    v2: new v2.Configuration({ apiKey: token, basePath: `${server.url}/api/v2` }),
  };
}

/** The User-Agent the installed client sends (its package.json is not exported, so it is read from disk). */
export const clientUserAgent: string = (() => {
  const main = createRequire(import.meta.url).resolve('pipedrive');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', `file://${main}`), 'utf8')) as { version: string };
  return `Pipedrive-SDK-Javascript-${version}`;
})();

/** Pipedrive's error body, which is all the client hands to the caller when a request fails. */
export interface PipedriveErrorBody {
  success: false;
  error: string;
  error_info?: string;
  data?: null;
  additional_data?: null;
  [extra: string]: unknown;
}

/**
 * Awaits a client call that must fail and returns what the caller catches. The client's error interceptor
 * (v1 and v2 `base.js`) rejects with the response body itself, not axios' error, so callers see Pipedrive's
 * envelope and never the HTTP status; use `ClientTraffic` to check the status on the wire.
 */
export async function clientError(call: Promise<unknown>): Promise<PipedriveErrorBody> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, 'the client call was expected to fail but succeeded');
  assert.equal(typeof caught, 'object', `the client rejected with ${String(caught)}, not an error body`);
  const body = caught as PipedriveErrorBody;
  assert.equal(body.success, false, `the client rejected with something other than Pipedrive's envelope: ${JSON.stringify(caught)}`);
  assert.equal(typeof body.error, 'string');
  return body;
}

/** One request the client made and the status it got, as seen on the wire. */
export interface Exchange {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  status: number;
}

/**
 * Records every request the official client (axios over node:http) sends to one test server, through node:http's
 * diagnostics channels, so tests can check what the client put on the wire (paths, query strings, headers) and
 * which status came back. Test code's own requests use fetch, which these channels do not see.
 */
export class ClientTraffic {
  readonly exchanges: Exchange[] = [];
  private readonly host: string;
  private readonly onFinish = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const headers = Object.fromEntries(Object.entries(request.getHeaders()).map(([name, value]) => [name, String(value)]));
    if (headers.host !== this.host) return;
    const url = new URL(request.path, `http://${this.host}`);
    this.exchanges.push({ method: request.method, path: url.pathname, query: url.searchParams, headers, status: response.statusCode ?? 0 });
  };

  constructor(server: TestServer) {
    this.host = new URL(server.url).host;
    diagnostics.subscribe('http.client.response.finish', this.onFinish);
  }

  /** The most recent exchange; fails the test when the client sent nothing. */
  last(): Exchange {
    const exchange = this.exchanges.at(-1);
    assert.ok(exchange, 'the client made no request to the test server');
    return exchange;
  }

  stop(): void {
    diagnostics.unsubscribe('http.client.response.finish', this.onFinish);
  }
}

/** What a client test suite shares: its server, and each test's view of the client's traffic. */
export interface ClientSuite {
  server: TestServer;
  traffic: ClientTraffic;
}

/**
 * Registers the hooks every official-client suite needs in the enclosing `describe`: one test server for the
 * suite, a fresh traffic recorder per test. Read `suite.server` and `suite.traffic` inside tests.
 */
export function officialClientSuite(backend: Backend): ClientSuite {
  const suite = {} as ClientSuite;
  before(async () => {
    suite.server = await startTestServer(backend);
  });
  after(() => suite.server.close());
  beforeEach(() => {
    suite.traffic = new ClientTraffic(suite.server);
  });
  afterEach(() => suite.traffic.stop());
  return suite;
}
