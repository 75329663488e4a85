import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../app/services.js';

const Health = Type.Object({ success: Type.Boolean(), data: Type.Object({ status: Type.String() }) });
const Ready = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({
    status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
    database: Type.Object({
      dialect: Type.String(),
      reachable: Type.Boolean(),
      /** False while migrations this version needs are not applied; null when the database could not be asked. */
      migrated: Type.Union([Type.Boolean(), Type.Null()]),
      pending_migrations: Type.Array(Type.String()),
    }),
  }),
});

/** Answer without auth, for load balancers and orchestrators: liveness (/health) and readiness (/ready). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['Service'];
  app.get('/health', { schema: { tags, summary: 'Liveness: the process serves', security: [], response: { 200: Health } } }, async () => ({
    success: true,
    data: { status: 'ok' },
  }));

  app.get(
    '/ready',
    { schema: { tags, summary: 'Readiness: the database answers and its schema is current (503 when not)', security: [], response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const { reachable, pendingMigrations: pending } = await services.databaseStatus();
      const migrated = pending === undefined ? null : pending.length === 0;
      const ready = reachable && migrated === true;
      return reply.status(ready ? 200 : 503).send({
        success: ready,
        data: {
          status: ready ? 'ready' : 'not_ready',
          database: { dialect: services.store.dialect, reachable, migrated, pending_migrations: pending ?? [] },
        },
      });
    },
  );
};
