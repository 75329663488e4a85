import { type Backend, Api, type TestServer, startTestServer } from '../helpers/server.ts';
import type { Config } from '../../src/app/config.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A test server with the admin API on, and a client that sends the admin token. */
export async function startAdminServer(backend: Backend, overrides: Partial<Config> = {}): Promise<{ server: TestServer; admin: Api }> {
  const server = await startTestServer(backend, { admin: { token: ADMIN_TOKEN, journalSize: 1000 }, ...overrides });
  return { server, admin: adminClient(server.url) };
}

export function adminClient(url: string, token = ADMIN_TOKEN): Api {
  const api = new Api(url, undefined);
  const request = api.request.bind(api);
  api.request = (method, path, body, headers = {}) => request(method, path, body, { 'x-personsd-admin-token': token, ...headers });
  return api;
}

/** A company of its own through the admin API, with a client holding its API token. */
export async function adminTenant(server: TestServer, admin: Api): Promise<{ companyId: number; userId: number; token: string; api: Api }> {
  const created = await admin.post('/_personsd/companies', {});
  if (created.status !== 201) throw new Error(`company not created: ${JSON.stringify(created.body)}`);
  const { company, user, api_token } = created.body.data;
  return { companyId: company.id, userId: user.id, token: api_token, api: new Api(server.url, api_token) };
}
