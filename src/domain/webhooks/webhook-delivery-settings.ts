/** How this process delivers webhook events (WEBHOOK_* variables). */
export interface WebhookConfig {
  /** Whether this process delivers webhook events; every process writes them to the outbox regardless. */
  dispatcher: boolean;
  pollIntervalMs: number;
  concurrency: number;
  timeoutMs: number;
  retryDelaysMs: number[];
  /** Which addresses webhooks may be delivered to. */
  targets: WebhookTargetSettings;
}

/**
 * Which receivers webhooks may reach: public addresses always; loopback (127.0.0.0/8, ::1) only when
 * `allowLoopback`; every other internal address (private, link-local, multicast, unspecified, reserved) only with
 * `allowPrivate`. A host named in `allowedHosts` may be reached whatever it resolves to.
 */
export interface WebhookTargetSettings {
  /** Outside production, so receivers on the developer's machine keep working. */
  allowLoopback: boolean;
  /** WEBHOOK_ALLOW_PRIVATE: no address is refused. */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOWED_HOSTS: host names or literal addresses, lower-case, without brackets or trailing dot. */
  allowedHosts: string[];
}

/** The targets allowed when nothing is configured: loopback too, unless in production. */
export function defaultTargets(production: boolean): WebhookTargetSettings {
  return { allowLoopback: !production, allowPrivate: false, allowedHosts: [] };
}

/** Pipedrive's delivery rules: 10 s timeout, retries after 3, 30 and 150 s. */
export const WEBHOOK_DEFAULTS: WebhookConfig = {
  dispatcher: true,
  pollIntervalMs: 1000,
  concurrency: 8,
  timeoutMs: 10_000,
  retryDelaysMs: [3_000, 30_000, 150_000],
  targets: defaultTargets(false),
};
