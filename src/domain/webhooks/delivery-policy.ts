import { now } from '../clock.js';

/** Milliseconds since the epoch, now. Injected so tests can run retries and bans on a clock they control. */
export type Clock = () => number;

export const systemClock: Clock = now;

/** How deliveries are paced; Pipedrive's values are the defaults, tests shorten them. */
export interface DeliveryPolicy {
  /** Waits before the 2nd, 3rd, … attempt; an event gets `retryDelaysMs.length + 1` attempts in all. */
  retryDelaysMs: readonly number[];
  /** A receiver that has not answered (status line and headers) by then has failed the attempt. */
  timeoutMs: number;
  /** First-attempt failures in a row that ban a webhook. */
  banThreshold: number;
  banMs: number;
  /** A webhook failing this long without one success is removed. */
  removeAfterMs: number;
}

export const PIPEDRIVE_DELIVERY_POLICY: DeliveryPolicy = {
  retryDelaysMs: [3_000, 30_000, 150_000],
  timeoutMs: 10_000,
  banThreshold: 10,
  banMs: 30 * 60_000,
  removeAfterMs: 3 * 86_400_000,
};

export const REMOVED_FOR_FAILURES = 'no successful delivery for 3 consecutive days';

/** When to try again after failed attempt number `attempt` (1-based), or null when that was the last one. */
export function nextAttemptAt(policy: DeliveryPolicy, attempt: number, now: number): number | null {
  const delay = policy.retryDelaysMs[attempt - 1];
  return delay === undefined ? null : now + delay;
}

export function isBanned(webhook: { banned_until: number | null }, now: number): boolean {
  return webhook.banned_until !== null && webhook.banned_until > now;
}

/** What a failed attempt does to the webhook, given its counters after the failure was counted. */
export function afterFailure(
  policy: DeliveryPolicy,
  counters: { ban_counter: number; failing_since: number | null },
  now: number,
): { ban: boolean; remove: boolean } {
  const failingFor = counters.failing_since === null ? 0 : now - counters.failing_since;
  return { ban: counters.ban_counter >= policy.banThreshold, remove: failingFor >= policy.removeAfterMs };
}

/** The ISO 8601 form (with milliseconds) of an instant, as delivery records and ban times are shown. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
