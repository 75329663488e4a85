import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody } from '../http/envelope.js';
import type { Metrics } from '../http/metrics.js';

export interface MetricsRouteOptions {
  metrics: Metrics;
  /** METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** GET /metrics in Prometheus' text format; open unless METRICS_TOKEN is set. */
export const metricsRoutes: FastifyPluginAsync<MetricsRouteOptions> = async (app, { metrics, token }) => {
  app.get('/metrics', { schema: { tags: ['Service'], summary: 'Prometheus metrics (Bearer METRICS_TOKEN when set)', security: [] } }, async (request, reply) => {
    if (token !== undefined) {
      const sent = /^bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
      if (sent === undefined || !sameText(sent, token)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send(errorBody('unauthorized access', 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.', { errorCode: 401 }));
      }
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
