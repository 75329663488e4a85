import { randomBytes } from 'node:crypto';

export interface SinkDelivery {
  headers: Record<string, unknown>;
  body: unknown;
  time: string;
}

const MAX_DELIVERIES_PER_SINK = 1000;

/**
 * Receivers for webhooks that personsd itself serves: a test subscribes a webhook to a sink's URL and reads back
 * what was delivered. Ids are 128 random bits, since the receiving URL is reachable without the admin token.
 */
export class WebhookSinks {
  private readonly sinks = new Map<string, SinkDelivery[]>();

  create(): string {
    const id = randomBytes(16).toString('hex');
    this.sinks.set(id, []);
    return id;
  }

  /** False when there is no such sink. */
  record(id: string, delivery: SinkDelivery): boolean {
    const deliveries = this.sinks.get(id);
    if (!deliveries) return false;
    deliveries.push(delivery);
    if (deliveries.length > MAX_DELIVERIES_PER_SINK) deliveries.shift();
    return true;
  }

  deliveries(id: string): SinkDelivery[] | undefined {
    return this.sinks.get(id);
  }

  clear(): void {
    this.sinks.clear();
  }
}
