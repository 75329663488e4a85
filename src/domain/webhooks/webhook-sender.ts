import http from 'node:http';
import https from 'node:https';
import { type DeliveryTargets, RefusedTarget } from './delivery-targets.js';

export interface WebhookRequest {
  url: string;
  body: string;
  auth: { user: string; password: string } | null;
  timeoutMs: number;
  /** Aborted when the dispatcher stops: the attempt then counts for nothing. */
  signal: AbortSignal;
}

export interface WebhookResponse {
  /** Any 2xx. */
  ok: boolean;
  status: number | null;
  error: string | null;
  latencyMs: number;
  /** The dispatcher stopped mid-request. */
  aborted: boolean;
}

export type WebhookSender = (request: WebhookRequest) => Promise<WebhookResponse>;

/**
 * POSTs JSON payloads to the addresses `targets` allows: a literal address is checked before connecting, a host
 * name on the addresses it resolves to as the connection is made (the agents' `lookup`). node:http never follows a
 * redirect, and a 3xx is a failure (Pipedrive requires URLs that do not redirect), so a receiver cannot bounce a
 * delivery to an address the policy refuses. The timeout covers the wait for the status line and headers; the body
 * is read and discarded so the kept-alive connection can be reused. The agents are this sender's own, so no
 * connection opened under another policy is ever reused.
 */
export class HttpWebhookSender {
  private readonly http: http.Agent;
  private readonly https: https.Agent;

  constructor(private readonly targets: DeliveryTargets) {
    this.http = new http.Agent({ keepAlive: true, lookup: targets.lookup });
    this.https = new https.Agent({ keepAlive: true, lookup: targets.lookup });
  }

  readonly send: WebhookSender = async ({ url, body, auth, timeoutMs, signal }) => {
    const started = performance.now();
    const failed = (error: string, aborted = false): WebhookResponse => ({ ok: false, status: null, error, latencyMs: Math.round(performance.now() - started), aborted });
    const target = new URL(url);
    const refused = this.targets.literalRefusal(target.hostname);
    if (refused) return failed(refused);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'personsd-webhooks/1',
    };
    if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const status = await this.post(target, headers, body, AbortSignal.any([timeout, signal]));
      const ok = status >= 200 && status < 300;
      const error = ok ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
      return { ok, status, error, latencyMs: Math.round(performance.now() - started), aborted: false };
    } catch (err) {
      if (signal.aborted) return failed('dispatcher stopped', true);
      return failed(timeout.aborted ? `no response within ${timeoutMs} ms` : describeError(err));
    }
  };

  /** Closes the kept-alive connections. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  /** Resolves with the status once the headers arrived (the body is drained in the background). */
  private post(url: URL, headers: Record<string, string | number>, body: string, signal: AbortSignal): Promise<number> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(url, { method: 'POST', headers, signal, agent: secure ? this.https : this.http }, (response) => {
        response.on('error', () => undefined).resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });
  }
}

function describeError(err: unknown): string {
  if (err instanceof RefusedTarget) return err.message;
  const { code, message } = err as { code?: string; message?: string };
  if (code) return `${code}${message ? `: ${message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
