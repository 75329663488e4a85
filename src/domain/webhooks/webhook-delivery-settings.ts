/** How this process delivers webhook events (WEBHOOK_* variables). */
export interface WebhookConfig {
  /** Whether this process delivers webhook events; every process writes them to the outbox regardless. */
  dispatcher: boolean;
  pollIntervalMs: number;
  concurrency: number;
  timeoutMs: number;
  retryDelaysMs: number[];
}

/** Pipedrive's delivery rules: 10 s timeout, retries after 3, 30 and 150 s. */
export const WEBHOOK_DEFAULTS: WebhookConfig = {
  dispatcher: true,
  pollIntervalMs: 1000,
  concurrency: 8,
  timeoutMs: 10_000,
  retryDelaysMs: [3_000, 30_000, 150_000],
};
