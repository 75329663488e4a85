import type { FastifyInstance } from 'fastify';
import type { WebhookDispatcher } from '../domain/webhooks/webhook-dispatcher.js';
import type { InFlightRequests } from '../http/in-flight.js';

export interface ShutdownParts {
  app: FastifyInstance;
  requests: InFlightRequests;
  dispatcher: WebhookDispatcher | undefined;
  /** How long requests and webhook deliveries in flight may take to finish before they are cut off. */
  timeoutMs: number;
}

export interface ShutdownReport {
  requestsInFlight: number;
  requestsCut: number;
  deliveriesFinished: number;
  deliveriesAbandoned: number;
  ms: number;
}

/**
 * Stops taking connections, lets the requests and webhook deliveries in flight finish within `timeoutMs`, then
 * cuts what is left (connections closed; deliveries abandoned, their events stay queued), and logs each step.
 * Requests arriving meanwhile on open keep-alive connections get a 503 (Fastify's return503OnClosing).
 */
export async function drainAndClose({ app, requests, dispatcher, timeoutMs }: ShutdownParts): Promise<ShutdownReport> {
  const started = Date.now();
  const requestsInFlight = requests.count;
  app.log.info(
    { requests_in_flight: requestsInFlight, webhook_deliveries_in_flight: dispatcher?.inFlight ?? 0, timeout_ms: timeoutMs },
    'shutting down: no longer accepting connections, draining requests and webhook deliveries in flight',
  );
  let requestsCut = 0;
  const deadline = setTimeout(() => {
    requestsCut = requests.count;
    if (requestsCut > 0) app.log.warn({ requests_cut: requestsCut }, `shutdown: ${requestsCut} request(s) still running after ${timeoutMs} ms, closing their connections`);
    app.server.closeAllConnections();
  }, timeoutMs);
  // Node closes the idle keep-alive connections once, when closing starts; a connection whose request finishes
  // later would stay open until its keep-alive timeout and hold the close up.
  const idle = setInterval(() => app.server.closeIdleConnections(), 50);
  const [deliveries] = await Promise.all([dispatcher?.stop(timeoutMs) ?? { finished: 0, abandoned: 0 }, app.close()]);
  clearTimeout(deadline);
  clearInterval(idle);
  const report = { requestsInFlight, requestsCut, deliveriesFinished: deliveries.finished, deliveriesAbandoned: deliveries.abandoned, ms: Date.now() - started };
  app.log.info(
    {
      requests_drained: requestsInFlight - requestsCut,
      requests_cut: requestsCut,
      webhook_deliveries_finished: deliveries.finished,
      webhook_deliveries_abandoned: deliveries.abandoned,
      ms: report.ms,
    },
    'shutdown complete',
  );
  return report;
}
