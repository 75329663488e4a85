import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FaultRules } from '../../domain/testing/faults.js';
import { ADMIN_TAG } from './tag.js';

const Latency = Type.Union([
  Type.Object({ distribution: Type.Literal('fixed'), ms: Type.Integer({ minimum: 0, maximum: 600_000 }) }, { additionalProperties: false }),
  Type.Object({ distribution: Type.Literal('uniform'), min_ms: Type.Integer({ minimum: 0 }), max_ms: Type.Integer({ minimum: 0, maximum: 600_000 }) }, { additionalProperties: false }),
  Type.Object(
    { distribution: Type.Literal('lognormal'), median_ms: Type.Number({ minimum: 0 }), sigma: Type.Number({ minimum: 0, maximum: 10 }), max_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })) },
    { additionalProperties: false },
  ),
]);

const Rule = Type.Object(
  {
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

export const adminFaultsRoutes: FastifyPluginAsyncTypebox<{ faults: FaultRules }> = async (app, { faults }) => {
  app.post(
    '/faults',
    { schema: { tags: [ADMIN_TAG], summary: 'Add fault rules (one rule, or a list); the first matching rule that fires decides', body: Type.Union([Rule, Type.Array(Rule)]) } },
    async (request, reply) => {
      const rules = Array.isArray(request.body) ? request.body : [request.body];
      for (const rule of rules) {
        if (rule.status === undefined && rule.kind === undefined && rule.latency_ms === undefined && rule.latency === undefined) {
          return reply.status(400).send({ success: false, error: 'A fault rule needs a status, a kind, latency_ms or latency', error_info: 'See /docs.', data: null, additional_data: null });
        }
      }
      const ids = rules.map((rule) => faults.add(rule));
      return reply.status(201).send({ success: true, data: { ids } });
    },
  );
  app.get('/faults', { schema: { tags: [ADMIN_TAG], summary: 'List the fault rules, with how many requests each matched and hit' } }, async () => ({ success: true, data: faults.list() }));
  app.delete('/faults', { schema: { tags: [ADMIN_TAG], summary: 'Remove every fault rule' } }, async () => {
    faults.clear();
    return { success: true };
  });
};
