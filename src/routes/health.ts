import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../app/services.js';

const Health = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ status: Type.String(), database: Type.Object({ dialect: Type.String(), reachable: Type.Boolean() }) }),
});

/** Answers without auth, for load balancers and orchestrators: 200 when the database answers, 503 when not. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/health', { schema: { tags: ['Service'], summary: 'Liveness and database reachability', security: [], response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    const reachable = await services.store.ping();
    return reply.status(reachable ? 200 : 503).send({
      success: reachable,
      data: { status: reachable ? 'ok' : 'degraded', database: { dialect: services.store.dialect, reachable } },
    });
  });
};
