const DAY_MS = 86_400_000;

/** Whose budget a rule spends: a whole company's, or only what one token sends (an API token or OAuth access token). */
export type BudgetTarget = { companyId: number } | { credential: { kind: 'api_token' | 'oauth' | 'session'; id: number } };

interface ActiveRule {
  id: number;
  target: BudgetTarget;
  /** Epoch ms of the next 00:00 UTC after the rule was set: the budget is spent until then. */
  until: number;
  fired: number;
}

/** The first instant of the UTC day after `at`. */
export function nextMidnightUtc(at: number): number {
  return (Math.floor(at / DAY_MS) + 1) * DAY_MS;
}

/**
 * Daily budgets a test suite declared spent (POST /_personsd/faults, `daily_budget_exhausted`): every request of the
 * company or token is refused until personsd's clock passes the next midnight UTC, as when Pipedrive's budget runs
 * out. Works whether or not rate limits are on; the budget counters themselves are untouched.
 */
export class BudgetFaults {
  private rules: ActiveRule[] = [];

  constructor(private readonly newId: () => number) {}

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Spends the target's budget for the rest of `now`'s UTC day. */
  add(target: BudgetTarget, now: number): number {
    const id = this.newId();
    this.rules.push({ id, target, until: nextMidnightUtc(now), fired: 0 });
    return id;
  }

  /** When the refusal of this caller ends (epoch ms), or undefined when its budget is not spent by a rule. */
  exhaustedUntil(companyId: number, credential: { kind: string; id: number }, now: number): number | undefined {
    for (const rule of this.rules) {
      if (now >= rule.until) continue;
      const { target } = rule;
      const hit = 'companyId' in target ? target.companyId === companyId : target.credential.kind === credential.kind && target.credential.id === credential.id;
      if (!hit) continue;
      rule.fired++;
      return rule.until;
    }
    return undefined;
  }

  list(now: number) {
    return this.rules.map(({ id, target, until, fired }) => ({
      id,
      type: 'daily_budget_exhausted' as const,
      ...('companyId' in target ? { company_id: target.companyId } : { token_kind: target.credential.kind, token_id: target.credential.id }),
      until: new Date(until).toISOString(),
      active: now < until,
      fired,
    }));
  }

  clear(): void {
    this.rules = [];
  }
}
