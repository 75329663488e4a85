import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Authenticated } from '../../domain/access/credential.js';
import type { Tenants } from '../../domain/admin/tenants.js';
import { now } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import type { BudgetTarget } from '../../domain/testing/budget-faults.js';
import type { FaultRule } from '../../domain/testing/faults.js';
import type { FaultSet } from '../../domain/testing/fault-set.js';
import { WEBHOOK_FAULT_TYPES, type WebhookFaultRule } from '../../domain/testing/webhook-faults.js';
import { MAX_FAULT_DELAY_MS } from '../../domain/webhooks/delivery-faults.js';
import { ADMIN_TAG } from './tag.js';

const Latency = Type.Union([
  Type.Object({ distribution: Type.Literal('fixed'), ms: Type.Integer({ minimum: 0, maximum: 600_000 }) }, { additionalProperties: false }),
  Type.Object({ distribution: Type.Literal('uniform'), min_ms: Type.Integer({ minimum: 0 }), max_ms: Type.Integer({ minimum: 0, maximum: 600_000 }) }, { additionalProperties: false }),
  Type.Object(
    { distribution: Type.Literal('lognormal'), median_ms: Type.Number({ minimum: 0 }), sigma: Type.Number({ minimum: 0, maximum: 10 }), max_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })) },
    { additionalProperties: false },
  ),
]);

const HttpRule = Type.Object(
  {
    type: Type.Optional(Type.Literal('http')),
    method: Type.Optional(Type.String({ pattern: '^(\\*|[A-Za-z]+)$' })),
    path: Type.String({ minLength: 1, pattern: '^/', description: 'A route pattern; * matches any characters, e.g. /api/v2/persons/*' }),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    body: Type.Optional(Type.Unknown()),
    latency_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
    latency: Type.Optional(Latency),
    kind: Type.Optional(Type.Union([Type.Literal('reset'), Type.Literal('empty'), Type.Literal('truncated')])),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
  },
  { additionalProperties: false },
);

const BudgetRule = Type.Object(
  {
    type: Type.Literal('daily_budget_exhausted'),
    company_id: Type.Optional(Type.Integer({ minimum: 1, description: "Spend this company's budget" })),
    token: Type.Optional(Type.String({ minLength: 1, description: 'Spend the budget of this API token (or OAuth access token) only' })),
  },
  { additionalProperties: false, description: 'Every request of the company or token is a 429 until the clock passes the next 00:00 UTC' },
);

const WebhookRule = Type.Object(
  {
    type: Type.Union(WEBHOOK_FAULT_TYPES.map((t) => Type.Literal(t))),
    webhook_id: Type.Optional(Type.Integer({ minimum: 1 })),
    event_object: Type.Optional(Type.String({ minLength: 1, description: 'person, organization or deal' })),
    event_action: Type.Optional(Type.String({ minLength: 1, description: 'create, change, delete (or added, updated, deleted, merged)' })),
    delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FAULT_DELAY_MS, description: 'webhook_delay: how late' })),
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'webhook_fail: how many first attempts fail (1 when absent)' })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'Hit at most this many events' })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
  },
  { additionalProperties: false },
);

const Rule = Type.Union([HttpRule, BudgetRule, WebhookRule]);
type AnyRule = typeof Rule.static;

interface FaultRoutesOptions {
  faults: FaultSet;
  authenticate: (token: string) => Promise<Authenticated | undefined>;
  tenants: Tenants;
}

/**
 * Fault rules: on API requests (status, latency, broken connections), on daily budgets, on webhook deliveries.
 * Every rule is checked before any is added, so a list is added whole or not at all.
 */
export const adminFaultsRoutes: FastifyPluginAsyncTypebox<FaultRoutesOptions> = async (app, { faults, authenticate, tenants }) => {
  /** What adding the rule takes, checked: a function that adds it. */
  async function prepare(rule: AnyRule): Promise<() => number> {
    if (rule.type === 'daily_budget_exhausted') {
      const target = await budgetTarget(rule);
      return () => faults.budgets.add(target, now());
    }
    if (rule.type !== undefined && rule.type !== 'http') {
      const webhookRule = rule as WebhookFaultRule;
      if (webhookRule.type !== 'webhook_delay' && webhookRule.delay_ms !== undefined) throw invalid('delay_ms belongs to webhook_delay rules');
      if (webhookRule.type !== 'webhook_fail' && webhookRule.attempts !== undefined) throw invalid('attempts belongs to webhook_fail rules');
      return () => faults.deliveries.add(webhookRule);
    }
    const httpRule = rule as FaultRule;
    if (httpRule.status === undefined && httpRule.kind === undefined && httpRule.latency_ms === undefined && httpRule.latency === undefined) {
      throw invalid('A fault rule needs a status, a kind, latency_ms or latency', 'See /docs.');
    }
    return () => faults.requests.add(httpRule);
  }

  async function budgetTarget(rule: typeof BudgetRule.static): Promise<BudgetTarget> {
    if ((rule.company_id === undefined) === (rule.token === undefined)) throw invalid('A daily_budget_exhausted rule names a company_id or a token (one of them)');
    if (rule.token !== undefined) {
      const owner = await authenticate(rule.token);
      if (!owner) throw invalid('No such token: a daily_budget_exhausted rule names a valid API or OAuth access token');
      return { credential: { kind: owner.credential.kind, id: owner.credential.id } };
    }
    const companyId = rule.company_id as number;
    if (!(await tenants.exists(companyId))) throw invalid(`No company ${companyId}`);
    return { companyId };
  }

  app.post(
    '/faults',
    {
      schema: {
        tags: [ADMIN_TAG],
        summary: 'Add fault rules (one rule, or a list): on API requests, daily budgets or webhook deliveries; the first matching rule that fires decides',
        body: Type.Union([Rule, Type.Array(Rule)]),
      },
    },
    async (request, reply) => {
      const rules = Array.isArray(request.body) ? request.body : [request.body];
      const adders = [];
      for (const rule of rules) adders.push(await prepare(rule));
      const ids = adders.map((add) => add());
      return reply.status(201).send({ success: true, data: { ids } });
    },
  );
  app.get('/faults', { schema: { tags: [ADMIN_TAG], summary: 'List the fault rules, with how many requests or events each matched and hit' } }, async () => ({
    success: true,
    data: faults.list(now()),
  }));
  app.delete('/faults', { schema: { tags: [ADMIN_TAG], summary: 'Remove every fault rule (a spent budget is restored)' } }, async () => {
    faults.clear();
    return { success: true };
  });
};
