import { now as clockNow } from '../../domain/clock.js';
import type { CounterStore, TakeRequest, TakeResult } from './counters.js';

const SWEEP_INTERVAL_MS = 60_000;

/** Counters of one process. Node runs requests one at a time between awaits, so check-and-count is atomic. */
export class MemoryCounterStore implements CounterStore {
  /** Ascending timestamps of the requests in each window. */
  private readonly windows = new Map<string, { stamps: number[]; ms: number }>();
  private readonly budgets = new Map<string, { used: number; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    // Keys of idle tokens and past days would otherwise pile up for the life of the process.
    this.sweeper = setInterval(() => this.sweep(clockNow()), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async take({ now, window, budget }: TakeRequest): Promise<TakeResult> {
    const stamps = this.liveStamps(window.key, window.ms, now);
    const spent = this.budgetUsed(budget.key, now);
    const verdict = stamps.length >= window.limit ? 'burst' : spent + budget.cost > budget.limit ? 'daily' : 'ok';
    if (verdict !== 'ok') return { verdict, windowUsed: stamps.length, windowResetMs: resetMs(stamps, window.ms, now), budgetUsed: spent };
    stamps.push(now);
    this.windows.set(window.key, { stamps, ms: window.ms });
    this.budgets.set(budget.key, { used: spent + budget.cost, expiresAt: now + budget.ttlMs });
    return { verdict, windowUsed: stamps.length, windowResetMs: resetMs(stamps, window.ms, now), budgetUsed: spent + budget.cost };
  }

  async count(key: string, windowMs: number, now: number): Promise<number> {
    return this.liveStamps(key, windowMs, now).length;
  }

  async record(key: string, windowMs: number, now: number): Promise<number> {
    const stamps = this.liveStamps(key, windowMs, now);
    stamps.push(now);
    this.windows.set(key, { stamps, ms: windowMs });
    return stamps.length;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private liveStamps(key: string, windowMs: number, now: number): number[] {
    const stamps = this.windows.get(key)?.stamps ?? [];
    let expired = 0;
    while (expired < stamps.length && stamps[expired] <= now - windowMs) expired++;
    return expired === 0 ? stamps : stamps.slice(expired);
  }

  private budgetUsed(key: string, now: number): number {
    const entry = this.budgets.get(key);
    return entry && entry.expiresAt > now ? entry.used : 0;
  }

  private sweep(now: number): void {
    for (const [key, { stamps, ms }] of this.windows) if (stamps.length === 0 || stamps[stamps.length - 1] <= now - ms) this.windows.delete(key);
    for (const [key, { expiresAt }] of this.budgets) if (expiresAt <= now) this.budgets.delete(key);
  }
}

function resetMs(stamps: number[], windowMs: number, now: number): number {
  return stamps.length === 0 ? 0 : Math.max(0, stamps[0] + windowMs - now);
}
