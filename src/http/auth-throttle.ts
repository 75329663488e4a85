import { now as clockNow } from '../domain/clock.js';
import type { CounterStore } from './rate-limit/counters.js';

const WINDOW_MS = 60_000;

/**
 * Slows down token guessing: a client address that sent more than `limit` unknown tokens in the last minute gets
 * 429s for every authenticated request until the minute has passed, valid token or not (else a guesser would
 * still tell a hit from a miss). Failures are counted in the shared counters, so every process sees them; the
 * block itself is remembered per process, so a request from an address in good standing costs no lookup.
 */
export class AuthFailureThrottle {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly counters: CounterStore,
    private readonly limit: number,
  ) {}

  /** Milliseconds until the address may try again, or 0 when it is not blocked. */
  blockedFor(address: string, now = clockNow()): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    if (until > now) return until - now;
    this.blockedUntil.delete(address);
    return 0;
  }

  /** Counts a failed attempt; returns the block in milliseconds when this failure went over the limit, else 0. */
  async recordFailure(address: string, now = clockNow()): Promise<number> {
    let failures: number;
    try {
      failures = await this.counters.record(`authfail:${address}`, WINDOW_MS, now);
    } catch {
      return 0; // counters unreachable (Redis down): the 401 still goes out, only the throttle lapses
    }
    if (failures <= this.limit) return 0;
    if (this.blockedUntil.size > 100_000) this.blockedUntil.clear();
    this.blockedUntil.set(address, now + WINDOW_MS);
    return WINDOW_MS;
  }
}
