/**
 * Fault rules a test sets to make personsd slow, failing or rate-limited on purpose, and the decision for each
 * request. Plain logic: src/http/faults.ts applies the decisions to requests.
 */

export type LatencyDistribution =
  | { distribution: 'fixed'; ms: number }
  | { distribution: 'uniform'; min_ms: number; max_ms: number }
  | { distribution: 'lognormal'; median_ms: number; sigma: number; max_ms?: number };

export type ConnectionFault = 'reset' | 'empty' | 'truncated';

export interface FaultRule {
  /** An HTTP method, or '*' / absent for any. */
  method?: string;
  /** A path pattern: `*` matches any run of characters, e.g. /api/v2/persons/*. */
  path: string;
  /** Answer with this status (in Pipedrive's envelope) instead of the real answer. */
  status?: number;
  body?: unknown;
  /** Delay the (real or faulty) answer by this long, or by a draw from `latency`. */
  latency_ms?: number;
  latency?: LatencyDistribution;
  /** Break the connection instead of answering. */
  kind?: ConnectionFault;
  /** Chance that a matching request is hit, 0..1 (1 when absent). */
  probability?: number;
  /** Hit at most this many requests, then the rule stays but no longer fires. */
  times?: number;
  /** Seeds the draws (probability, latency), so the same requests are hit on every run. */
  seed?: number;
}

export interface FaultDecision {
  delayMs: number;
  status?: number;
  body?: unknown;
  kind?: ConnectionFault;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  pattern: RegExp;
  random: () => number;
  fired: number;
  matched: number;
}

/** mulberry32: a small, fast, seedable PRNG; enough for deciding which requests a fault hits. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function counter(): () => number {
  let next = 1;
  return () => next++;
}

function patternOf(path: string): RegExp {
  const escaped = path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function drawLatency(rule: FaultRule, random: () => number): number {
  const latency = rule.latency;
  if (!latency) return rule.latency_ms ?? 0;
  switch (latency.distribution) {
    case 'fixed':
      return latency.ms;
    case 'uniform':
      return latency.min_ms + random() * (latency.max_ms - latency.min_ms);
    case 'lognormal': {
      // Box-Muller from two uniform draws; 1 - u keeps the logarithm finite.
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const ms = latency.median_ms * Math.exp(latency.sigma * normal);
      return Math.min(ms, latency.max_ms ?? 60_000);
    }
  }
}

export class FaultRules {
  private rules: ActiveRule[] = [];

  constructor(private readonly newId: () => number = counter()) {}

  get empty(): boolean {
    return this.rules.length === 0;
  }

  add(rule: FaultRule): number {
    const id = this.newId();
    const random = seededRandom(rule.seed ?? (Math.random() * 2 ** 32) >>> 0);
    this.rules.push({ id, rule, pattern: patternOf(rule.path), random, fired: 0, matched: 0 });
    return id;
  }

  list(): Array<FaultRule & { id: number; matched: number; fired: number }> {
    return this.rules.map((r) => ({ ...r.rule, id: r.id, matched: r.matched, fired: r.fired }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that matches and fires decides; undefined when none does. */
  decide(method: string, path: string): FaultDecision | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.method && rule.method !== '*' && rule.method.toUpperCase() !== method) continue;
      if (!active.pattern.test(path)) continue;
      if (rule.times !== undefined && active.fired >= rule.times) continue;
      active.matched++;
      if (rule.probability !== undefined && active.random() >= rule.probability) continue;
      active.fired++;
      return { delayMs: drawLatency(rule, active.random), status: rule.status, body: rule.body, kind: rule.kind };
    }
    return undefined;
  }
}
