import assert from 'node:assert/strict';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { OAuthService } from '../../src/domain/access/oauth.service.ts';
import type { TestServer } from './server.ts';
import { httpRequest } from './http-request.ts';

/** One operation of the API as the service documents it in /openapi.json (`{param}` path templates). */
export interface RouteOp {
  method: string;
  path: string;
  /** The scope prefix the route is registered under. */
  version: 'v1' | 'v2';
}

export type Headers = Record<string, string>;

/** Every authenticated API operation personsd serves (v1 under /v1; /api/v1 serves the same routes). */
export async function apiOperations(server: TestServer): Promise<RouteOp[]> {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const ops: RouteOp[] = [];
  for (const [documented, methods] of Object.entries(doc.paths)) {
    const version = documented.startsWith('/api/v2/') ? 'v2' : documented.startsWith('/api/v1/') ? 'v1' : undefined;
    if (!version) continue;
    // The document lists v1 once, under /api/v1; the tests call it under /v1, as the official client does.
    const path = version === 'v1' ? documented.slice('/api'.length) : documented;
    for (const method of Object.keys(methods)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push({ method: method.toUpperCase(), path, version });
  }
  return ops;
}

export const routeName = (op: RouteOp) => `${op.method} ${op.path}`;

/** The path with its parameters filled in; parameters without a value get `fallback`. */
export function fillPath(path: string, params: Record<string, string | number | undefined>, fallback = '1'): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => String(params[name] ?? fallback));
}

/** Sends a request as a principal (its headers) and returns the status and JSON body. */
export async function call(server: TestServer, op: RouteOp, path: string, headers: Headers, body?: unknown): Promise<{ status: number; body: any }> {
  const sent = { ...headers };
  if (body !== undefined) sent['content-type'] = 'application/json';
  const { status, text } = await httpRequest(server.url + path, op.method, sent, body === undefined ? undefined : JSON.stringify(body));
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Images (picture routes) are not JSON.
  }
  return { status, body: parsed };
}

/** A Bearer header for an OAuth access token with exactly these scopes (plus base), issued to the API token's user. */
export async function oauthHeaders(server: TestServer, apiToken: string, scopes: string): Promise<Headers> {
  const redirectUri = 'https://matrix.example.com/cb';
  const app = await new OAuthService(server.store.db, DEFAULT_ACCESS.oauth).registerApp({ name: 'matrix', redirectUri, scopes });
  const authorize = await fetch(`${server.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}`, {
    headers: { 'x-api-token': apiToken },
    redirect: 'manual',
  });
  const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code');
  assert.ok(code, 'the authorization step returned a code');
  const token = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
  });
  const tokens = (await token.json()) as { access_token: string };
  return { authorization: `Bearer ${tokens.access_token}` };
}

/** Collects every mismatch instead of stopping at the first, so one run shows the whole matrix's failures. */
export class MatrixFailures {
  private readonly failures: string[] = [];

  expect(actual: number, expected: number | readonly number[], where: string): void {
    const allowed = typeof expected === 'number' ? [expected] : expected;
    if (!allowed.includes(actual)) this.failures.push(`${where}: got ${actual}, expected ${allowed.join(' or ')}`);
  }

  check(ok: boolean, where: string): void {
    if (!ok) this.failures.push(where);
  }

  assertNone(): void {
    assert.deepEqual(this.failures, [], `${this.failures.length} access-matrix failures`);
  }
}
