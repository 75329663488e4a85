import fc from 'fast-check';
import { type FuzzOperation, type FuzzRequest, describeRequest, requestArbitrary, send } from './fuzz-requests.ts';
import { type FuzzTenant, dataFingerprint, pathHints, seededTenant } from './fuzz-tenant.ts';
import type { TestServer } from './server.ts';

/** Why an answer is wrong, or undefined when it is acceptable. */
export function problemWith(op: FuzzOperation, status: number, text: string): string | undefined {
  if (status >= 500) return `answered ${status}`;
  if (status < 400) return undefined;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `answered ${status} with a body that is not JSON`;
  }
  const envelope = body?.success === false && typeof body.error === 'string' && typeof body.error_info === 'string' && body.data === null;
  if (!op.path.includes('/webhooks')) return envelope ? undefined : `answered ${status} without the error envelope`;
  // Webhook routes answer client errors in their own shape (behaviour doc §11.4). The service-wide envelope is right
  // only for what is refused before a route is chosen (unknown routes, malformed URLs) or by the authentication hook.
  const fieldErrors = body?.status === 'error' && body.success === false && body.errors && Object.values(body.errors).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
  if (fieldErrors || (status === 403 && body?.success === false && typeof body.message === 'string')) return undefined;
  if (envelope && ([401, 414, 429, 431].includes(status) || /^(Unknown route|Malformed URL|A path parameter is too long)/.test(body.error))) return undefined;
  return `answered ${status} without the webhook error shape`;
}

export interface WalkOptions {
  seed: number;
  /** Requests per operation. */
  runs: number;
  /** The credentials every request carries. */
  headers(tenant: FuzzTenant): Record<string, string>;
  /** Known values besides the tenant's (admin routes: the company id, a sink, a snapshot). */
  extraHints?(tenant: FuzzTenant): Promise<Record<string, readonly (string | number)[]>>;
  /** A success that may have removed what the known ids name: the next batch gets a fresh tenant. */
  destructive(op: FuzzOperation): boolean;
  /** Runs after each request (the admin pass clears fault rules and the clock). */
  afterEach?(): Promise<void>;
}

export interface WalkResult {
  requests: number;
  statuses: Record<number, number>;
  failures: string[];
  seconds: number;
}

// Runs per fast-check property; the tenant is replaced between batches once it has been written to a lot.
const BATCH = 100;

/**
 * Sends `runs` seeded requests to each operation and checks each answer: below 500, refused in the envelope, and a
 * refused request leaves the company's data as it was. Every operation is walked even after a failure, so one run
 * lists all of them, each with the request that shows it (fast-check shrinks it first).
 */
export async function walkOperations(server: TestServer, ops: FuzzOperation[], options: WalkOptions): Promise<WalkResult> {
  const started = Date.now();
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  let current: FuzzTenant | undefined;
  let sinceSeeded = 0;
  for (const [index, op] of ops.entries()) {
    for (let done = 0; done < options.runs; done += BATCH) {
      if (!current || sinceSeeded >= 400) {
        current = await seededTenant(server);
        current.hints = { ...current.hints, ...(await options.extraHints?.(current)) };
        sinceSeeded = 0;
      }
      const { tenant, hints } = current;
      let state = await dataFingerprint(server, tenant.companyId);
      let destroyed = false;
      const requests = requestArbitrary(op, hints, options.headers(current), (path, name) => pathHints(hints, path, name));
      const check = async (req: FuzzRequest) => {
        sinceSeeded++;
        const res = await send(server.url, req).catch((error: Error) => {
          throw new Error(`no answer (${error.message}) to\n${describeRequest(server.url, req)}`);
        });
        await options.afterEach?.();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const after = await dataFingerprint(server, tenant.companyId);
        const changed = after !== state;
        state = after;
        if (res.status < 300 && options.destructive(op)) destroyed = true;
        const problem = problemWith(op, res.status, res.text) ?? (res.status >= 400 && changed ? `answered ${res.status} but changed the company's data` : undefined);
        if (problem) throw new Error(`${problem}:\n${describeRequest(server.url, req)}\n→ ${res.status} ${res.text.slice(0, 1000)}`);
      };
      await fc.assert(fc.asyncProperty(requests, check), { seed: options.seed + index * 1000 + done / BATCH, numRuns: Math.min(BATCH, options.runs - done) }).catch((error: Error) => {
        failures.push(`${op.method} ${op.path}: ${String(error.cause ?? error.message)}\n${error.message.split('\n').slice(0, 2).join(' ')}`);
        destroyed = true;
      });
      if (destroyed) current = undefined;
    }
  }
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return { requests, statuses, failures, seconds: (Date.now() - started) / 1000 };
}
