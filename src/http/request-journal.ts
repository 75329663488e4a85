import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maskBody, maskHeaders, maskQuery } from './secrets.js';

export interface JournalEntry {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  status: number;
  duration_ms: number;
  time: string;
}

export interface JournalFilter {
  method?: string;
  /** An exact path, or a pattern with `*` wildcards. */
  path?: string;
  status?: number;
  /** Only requests received at or after this time. */
  since?: Date;
}

/** The requests the API received, newest first, at most `size` of them (the oldest fall off). */
export class RequestJournal {
  private entries: JournalEntry[] = [];

  constructor(private readonly size: number) {}

  record(entry: JournalEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const path = filter.path?.includes('*') ? new RegExp(`^${filter.path.split('*').map(escape).join('.*')}$`) : undefined;
    const since = filter.since?.getTime();
    return this.entries
      .filter(
        (e) =>
          (!filter.method || e.method === filter.method.toUpperCase()) &&
          (!filter.path || (path ? path.test(e.path) : e.path === filter.path)) &&
          (filter.status === undefined || e.status === filter.status) &&
          (since === undefined || Date.parse(e.time) >= since),
      )
      .reverse();
  }

  clear(): void {
    this.entries = [];
  }
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Records every request but the admin API's own (and the sinks', which have their own record). */
export function installRequestJournal(app: FastifyInstance, journal: RequestJournal): void {
  // The wall clock when the request came in: taken back from the response's time less the elapsed time, it could
  // fall up to a millisecond before the request, and out of a `since` taken just before sending it.
  const received = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (request) => {
    received.set(request, Date.now());
  });
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path.startsWith('/_personsd')) return;
    journal.record({
      method: request.method,
      path,
      query: maskQuery(request.query),
      headers: maskHeaders(request.headers),
      body: maskBody(request.body ?? null),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      time: new Date(received.get(request) ?? Date.now() - reply.elapsedTime).toISOString(),
    });
  });
}
