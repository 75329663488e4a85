import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreStats } from '../store/db.js';

export type RejectionKind = 'burst' | 'daily' | 'auth_failures';
export type DeliveryResult = 'success' | 'failure' | 'dropped';

export interface MetricSources {
  store: { stats(): StoreStats };
  /** Webhook events waiting to be sent. */
  webhookQueueDepth(): Promise<number>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the limit that refused the request with a 429, for the rejection counter. */
    rejectedBy: RejectionKind | null;
  }
}

/**
 * personsd's Prometheus metrics, one registry per app (tests run several apps in one process): requests by route
 * pattern and status with latencies, requests in flight, rate-limit rejections, webhook deliveries and queue
 * depth, database connections, and prom-client's process metrics (CPU, memory, event-loop lag, GC).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route' | 'status'>;
  private readonly rejections: Counter<'limit'>;
  private readonly deliveries: Counter<'result'>;
  /**
   * Label sets seen before, so a request builds no label object (routes × methods × statuses stay few);
   * prom-client's children still hash the labels on each call.
   */
  private readonly children = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const labelNames = ['method', 'route', 'status'] as const;
    this.requests = new Counter({ name: 'personsd_http_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames, registers });
    this.durations = new Histogram({
      name: 'personsd_http_request_duration_seconds',
      help: 'Time from request to response, by route pattern and status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rejections = new Counter({
      name: 'personsd_rate_limit_rejections_total',
      help: 'Requests refused with a 429: burst window, daily budget, or repeated invalid tokens from one address',
      labelNames: ['limit'],
      registers,
    });
    this.deliveries = new Counter({ name: 'personsd_webhook_deliveries_total', help: 'Webhook delivery attempts by this process, by result', labelNames: ['result'], registers });
    for (const limit of ['burst', 'daily', 'auth_failures']) this.rejections.labels(limit).inc(0);
    for (const result of ['success', 'failure', 'dropped']) this.deliveries.labels(result).inc(0);
  }

  /** Counts every request of the app and serves nothing yet; register before the routes. */
  install(app: FastifyInstance, sources: MetricSources): void {
    const registers = [this.registry];
    const inFlight = new Gauge({ name: 'personsd_http_requests_in_flight', help: 'Requests being served right now', registers });
    new Gauge({
      name: 'personsd_webhook_queue_depth',
      help: 'Webhook events waiting to be sent (due, being sent, or waiting for a retry), all companies',
      registers,
      async collect() {
        // A database that does not answer leaves the gauge out rather than failing the whole scrape.
        const depth = await sources.webhookQueueDepth().catch(() => undefined);
        if (depth === undefined) this.reset();
        else this.set(depth);
      },
    });
    const stats = () => sources.store.stats();
    if (stats().pool) {
      new Gauge({
        name: 'personsd_db_pool_connections',
        help: 'PostgreSQL pool: connections open (total), idle, and queries waiting for a connection',
        labelNames: ['state'],
        registers,
        collect() {
          const pool = stats().pool;
          if (pool) for (const [state, value] of Object.entries(pool)) this.labels(state).set(value);
        },
      });
    } else {
      new Gauge({
        name: 'personsd_sqlite_wal_bytes',
        help: 'SQLite write-ahead log size (grows when checkpoints fall behind)',
        registers,
        collect() {
          this.set(stats().walBytes ?? 0);
        },
      });
      new Counter({
        name: 'personsd_search_merge_seconds_total',
        help: 'Time the worker thread merging the SQLite search index has spent in merge steps (once writes pause)',
        registers,
        collect() {
          this.reset();
          this.inc(stats().searchMergeSeconds ?? 0);
        },
      });
    }

    app.decorateRequest('rejectedBy', null);
    app.addHook('onRequest', (_request, reply, done) => {
      inFlight.inc();
      reply.raw.once('close', () => inFlight.dec());
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? '(unmatched)';
      const key = `${request.method} ${route} ${reply.statusCode}`;
      let child = this.children.get(key);
      if (!child) {
        const labels = { method: request.method, route, status: String(reply.statusCode) };
        child = { count: this.requests.labels(labels), duration: this.durations.labels(labels) };
        this.children.set(key, child);
      }
      child.count.inc();
      child.duration.observe(reply.elapsedTime / 1000);
      if (request.rejectedBy) this.rejections.labels(request.rejectedBy).inc();
      done();
    });
  }

  webhookDelivered(result: DeliveryResult): void {
    this.deliveries.labels(result).inc();
  }
}

/** Marks a 429 with the limit that refused it, for personsd_rate_limit_rejections_total. */
export function noteRejection(request: FastifyRequest, limit: RejectionKind): void {
  request.rejectedBy = limit;
}
