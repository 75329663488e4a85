import { randomBytes } from 'node:crypto';
import { type Config, loadConfig, parseDatabaseUrl } from './config.js';
import { startServer } from './server.js';

export interface StartPersonsdOptions {
  /** Where the data lives; in memory (gone when stopped) unless told otherwise, e.g. `postgres://…`. */
  databaseUrl?: string;
  /** The admin API's token; a random one when absent. */
  adminToken?: string;
  /** Any other setting, as the environment variables the README lists (e.g. `{ WEBHOOK_POLL_INTERVAL_MS: '50' }`). */
  env?: Record<string, string>;
}

export interface Personsd {
  /** The server's base URL, e.g. http://127.0.0.1:43121 */
  url: string;
  /** The v2 base path the official client takes as `basePath` (v1 is `${url}/v1`). */
  apiUrl: string;
  /** An API token of an admin user of `companyId`. */
  token: string;
  companyId: number;
  /** For the /_personsd admin API (header x-personsd-admin-token). */
  adminToken: string;
  /** Empties the company's data, the fault rules and the request journal; the token stays valid. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts personsd inside the test's own process, on a free port of 127.0.0.1, with the admin API on: the Pipedrive
 * of an integration's test suite. One server can serve a whole suite; call reset() between tests.
 */
export async function startPersonsd(options: StartPersonsdOptions = {}): Promise<Personsd> {
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  const base = loadConfig({ LOG_LEVEL: 'silent', ...options.env });
  const config: Config = {
    ...base,
    host: '127.0.0.1',
    port: 0,
    database: parseDatabaseUrl(options.databaseUrl ?? 'memory:'),
    bootstrapToken: undefined,
    admin: { token: adminToken, journalSize: base.admin?.journalSize ?? 1000 },
  };
  const server = await startServer(config, { logger: false });
  try {
    // A company of its own, also on a shared database (the in-memory one's first company is made at start).
    const tenant = server.bootstrapped
      ? { companyId: server.bootstrapped.companyId, token: server.bootstrapped.token }
      : await server.services.tenants.create({}).then((t) => ({ companyId: t.company.id, token: t.api_token }));
    const admin = async (method: string, path: string) => {
      const response = await fetch(`${server.url}/_personsd${path}`, { method, headers: { 'x-personsd-admin-token': adminToken } });
      if (!response.ok) throw new Error(`personsd: ${method} /_personsd${path} answered ${response.status}: ${await response.text()}`);
    };
    return {
      url: server.url,
      apiUrl: `${server.url}/api/v2`,
      token: tenant.token,
      companyId: tenant.companyId,
      adminToken,
      async reset() {
        await admin('POST', `/companies/${tenant.companyId}/reset`);
        await admin('DELETE', '/faults');
        await admin('DELETE', '/requests');
      },
      stop: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
