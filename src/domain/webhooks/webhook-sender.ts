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
 * POSTs the JSON payload. A redirect is a failure, not followed (Pipedrive requires URLs that do not redirect);
 * the timeout covers the wait for the status line and headers, and the body is read and discarded so the
 * connection can be reused.
 */
export const httpSender: WebhookSender = async ({ url, body, auth, timeoutMs, signal }) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'personsd-webhooks/1' };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const timeout = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([timeout, signal]) });
    const latencyMs = Math.round(performance.now() - started);
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}`, latencyMs, aborted: false };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    if (signal.aborted) return { ok: false, status: null, error: 'dispatcher stopped', latencyMs, aborted: true };
    const error = timeout.aborted ? `no response within ${timeoutMs} ms` : describeFetchError(err);
    return { ok: false, status: null, error, latencyMs, aborted: false };
  }
};

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
