import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, parseDatabaseUrl } from '../../src/app/config.ts';
import { issueToken } from '../../src/domain/users/tokens.ts';
import { addUser, createCompany } from '../../src/domain/users/users.service.ts';
import { type RunningServer, type StartOptions, startServer } from '../../src/app/server.ts';
import { httpRequest } from './http-request.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  databaseUrl(): { url: string; cleanup(): void };
}

/**
 * Every behaviour test runs once per backend: SQLite always, PostgreSQL when PERSONSD_TEST_PG_URL is set.
 * Tests never truncate shared tables; each one makes its own company (tenant) with random names instead.
 */
export function testBackends(): Backend[] {
  const backends: Backend[] = [
    {
      name: 'sqlite',
      databaseUrl() {
        const dir = mkdtempSync(join(tmpdir(), 'personsd-test-'));
        return { url: `sqlite:${join(dir, 'test.db')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  const pgUrl = process.env.PERSONSD_TEST_PG_URL;
  if (pgUrl) backends.push({ name: 'postgres', databaseUrl: () => ({ url: pgUrl, cleanup() {} }) });
  return backends;
}

export interface TestServer extends RunningServer {
  config: Config;
}

export async function startTestServer(backend: Backend, overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<TestServer> {
  const db = backend.databaseUrl();
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    database: parseDatabaseUrl(db.url, 5),
    logLevel: 'silent',
    bodyLimit: 1024 * 1024,
    bootstrapToken: undefined,
    workers: 1,
    purgeIntervalMs: 3_600_000,
    ...overrides,
  };
  const server = await startServer(config, { logger: false, ...options });
  return {
    ...server,
    config,
    async close() {
      await server.close();
      db.cleanup();
    },
  };
}

export interface Tenant {
  companyId: number;
  userId: number;
  token: string;
  api: Api;
  /** Adds another (non-admin unless asked) user to the tenant's company, with a token of its own. */
  addUser(options?: { admin?: boolean }): Promise<{ userId: number; token: string; api: Api }>;
}

const unique = () => randomBytes(6).toString('hex');

/** A fresh company with an admin user and a token, so tests never see each other's data. */
export async function newTenant(server: TestServer): Promise<Tenant> {
  const db = server.store.db;
  const { companyId, admin } = await db
    .transaction()
    .execute((trx) => createCompany(trx, { name: `test-${unique()}`, adminName: 'Test Admin', adminEmail: `admin-${unique()}@example.com` }));
  const token = await db.transaction().execute((trx) => issueToken(trx, companyId, admin.id));
  return {
    companyId,
    userId: admin.id,
    token,
    api: new Api(server.url, token),
    async addUser(options = {}) {
      const user = await addUser(db, companyId, { name: `User ${unique()}`, email: `user-${unique()}@example.com`, is_admin: options.admin });
      const userToken = await db.transaction().execute((trx) => issueToken(trx, companyId, user.id));
      return { userId: user.id, token: userToken, api: new Api(server.url, userToken) };
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small HTTP client: real HTTP, JSON in and out, the token in the header the official client uses. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, undefined, headers);
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', path, body, headers);
  put = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('PUT', path, body, headers);
  patch = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('PATCH', path, body, headers);
  delete = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('DELETE', path, body, headers);

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const sent = { ...headers };
    if (this.token !== undefined && !('x-api-token' in headers)) sent['x-api-token'] = this.token;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      sent['content-type'] ??= 'application/json';
    }
    const { status, headers: received, text } = await httpRequest(this.baseUrl + path, method, sent, payload);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Non-JSON bodies (docs pages) are returned as text.
    }
    return { status, headers: received, body: parsed };
  }
}
