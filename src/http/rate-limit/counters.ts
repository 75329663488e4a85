/**
 * Where rate-limit counters live: one process's memory, or Redis shared by every process. Both keep the same two
 * kinds of counter: a rolling window of request timestamps (bursts, failed logins) and a cost total per day.
 */
export interface TakeRequest {
  now: number;
  /** A rolling window of requests: at most `limit` in any `ms` milliseconds. */
  window: { key: string; limit: number; ms: number };
  /** A budget of token cost: at most `limit` under `key` (one key per day), kept for `ttlMs`. */
  budget: { key: string; limit: number; cost: number; ttlMs: number };
}

export interface TakeResult {
  /** 'ok' when the request was counted; otherwise the limit that refused it (and nothing was counted). */
  verdict: 'ok' | 'burst' | 'daily';
  /** Requests in the window, this one included when it was counted. */
  windowUsed: number;
  /** Milliseconds until the oldest request in the window leaves it (a slot frees up). */
  windowResetMs: number;
  /** Cost spent from the budget, this request's included when it was counted. */
  budgetUsed: number;
}

export interface CounterStore {
  /** Checks both limits and, only when both allow it, counts the request in both, atomically. */
  take(request: TakeRequest): Promise<TakeResult>;
  /** Entries recorded under `key` in the last `windowMs`. */
  count(key: string, windowMs: number, now: number): Promise<number>;
  /** Records one entry under `key` and returns how many the last `windowMs` now holds. */
  record(key: string, windowMs: number, now: number): Promise<number>;
  close(): Promise<void>;
}
