import type PG from 'pg';

/** How long to wait before listening again after the listening connection failed. */
const RECONNECT_MS = 1_000;

/**
 * PostgreSQL's change signal for credentials and companies' write settings: a connection of its own LISTENs on the
 * channel that the triggers of migrations 021 and 024 notify on, and every notification moves a version number.
 *
 * A notification reaches this process a moment after the change commits, so the version alone could let a request
 * that arrives in that moment use a revoked token. `stamp()` therefore first makes one round trip on the listening
 * connection (`select 1`): PostgreSQL sends a session's pending notifications before it answers, so once the answer
 * is in, every change committed before the request arrived has moved the version. Requests that arrive while a
 * round trip is in flight share the next one, so under load one round trip serves many requests, and it costs far
 * less than looking the token up (no pool checkout, no join).
 *
 * A request that asks again (a create checks its token, its company's identity settings, its mandatory fields and its
 * webhooks) passes `since`, the moment it arrived: any round trip that left after it answers for it, so a request
 * sends one round trip, not one per check (at one connection, four a create).
 *
 * The connection is opened by the first call. While it is not (yet) listening the stamp is undefined, and callers
 * remember nothing.
 */
export class SettingsSignal {
  private client: PG.Client | undefined;
  private version = 0;
  private connection = 0;
  private inFlight: Promise<string | undefined> | undefined;
  /** When the round trip in flight left. */
  private inFlightLeft = 0;
  /** When the latest answered round trip left (performance.now()), on the connection listening now. */
  private answeredLeft = Number.NEGATIVE_INFINITY;
  private next: Promise<string | undefined> | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private started = false;

  constructor(private readonly connect: () => PG.Client) {}

  /**
   * A value that differs whenever a credential or a company setting may have changed since the last call (or, with
   * `since`, a `performance.now()` reading, since that moment); undefined while not listening.
   */
  stamp(since?: number): Promise<string | undefined> {
    if (!this.started) {
      // Only processes that ask (API servers, whose requests and writes do) hold the extra connection; a command that
      // asks nothing (migrate, users, tokens) never opens it.
      this.started = true;
      void this.listen();
    }
    if (this.client === undefined) return Promise.resolve(undefined);
    if (since !== undefined && this.answeredLeft >= since) return Promise.resolve(this.current());
    if (this.inFlight === undefined) return (this.inFlight = this.roundTrip());
    if (since !== undefined && this.inFlightLeft >= since) return this.inFlight;
    // A round trip already on its way may have left before the request arrived: wait for the one after it.
    this.next ??= this.inFlight.then(() => {
      this.next = undefined;
      return (this.inFlight = this.roundTrip());
    });
    return this.next;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async roundTrip(): Promise<string | undefined> {
    const client = this.client;
    const left = performance.now();
    this.inFlightLeft = left;
    try {
      if (client === undefined) return undefined;
      await client.query('select 1');
      if (this.client !== client) return undefined;
      this.answeredLeft = Math.max(this.answeredLeft, left);
      return this.current();
    } catch {
      return undefined;
    } finally {
      if (this.next === undefined) this.inFlight = undefined;
    }
  }

  private current(): string {
    return `${this.connection}.${this.version}`;
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = this.connect();
    const lost = () => {
      if (this.client === client) {
        this.client = undefined;
        this.answeredLeft = Number.NEGATIVE_INFINITY;
      }
      void client.end().catch(() => {});
      if (!this.closed) this.retry = setTimeout(() => void this.listen(), RECONNECT_MS).unref();
    };
    client.on('error', lost);
    client.on('end', () => this.client === client && lost());
    client.on('notification', () => {
      this.version += 1;
    });
    try {
      await client.connect();
      await client.query('listen personsd_credentials');
    } catch {
      lost();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    // Changes made while nobody listened were missed: a new connection starts a new series of stamps.
    this.connection += 1;
    this.answeredLeft = Number.NEGATIVE_INFINITY;
    this.client = client;
  }
}
