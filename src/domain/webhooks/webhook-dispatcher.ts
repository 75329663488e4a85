import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { insertDeliveries, pruneDeliveries } from '../../store/repositories/webhook-deliveries.repository.js';
import { type OutboxRow, anyDueEvent, claimDueEvents, finishEvent, insertOutboxRows, releaseEvent, scheduleRetry } from '../../store/repositories/webhook-outbox.repository.js';
import {
  type WebhookRow,
  banWebhook,
  findWebhook,
  lockWebhook,
  markWebhookRemoved,
  recordWebhookFailure,
  recordWebhookSuccess,
} from '../../store/repositories/webhooks.repository.js';
import type { Database } from '../../store/schema.js';
import { toStoredTime } from '../time.js';
import { type Clock, type DeliveryPolicy, REMOVED_FOR_FAILURES, afterFailure, isBanned, isoTime, nextAttemptAt } from './delivery-policy.js';
import { type DeliveryFault, type DeliveryFaults, MAX_FAULT_DELAY_MS } from './delivery-faults.js';
import { HeldEvents } from './held-events.js';
import { payloadForAttempt } from './webhook-payload.js';
import type { WebhookRequest, WebhookResponse, WebhookSender } from './webhook-sender.js';

export interface DispatcherOptions {
  policy: DeliveryPolicy;
  clock: Clock;
  /** How often to look for due events (events written by this process are looked for at once). */
  intervalMs: number;
  /** Deliveries in flight at most, per process. */
  concurrency: number;
  /** Makes the HTTP request (HttpWebhookSender's, which applies the target policy). */
  send: WebhookSender;
  /** Faults a test suite injects into deliveries (the admin API's); none when absent. */
  faults?: DeliveryFaults;
  onError?: (err: unknown) => void;
  /** Told of every attempt's recorded outcome (for the metrics). */
  onDelivered?: (result: 'success' | 'failure' | 'dropped') => void;
}

/** Delivery attempts are kept this long for `GET /v1/webhooks/{id}/deliveries`. */
export const DELIVERY_LOG_DAYS = 7;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Sends due outbox events: claims them with a lease (so no other dispatcher, here or in another process, sends
 * them meanwhile), POSTs each, and records the outcome in one transaction with the event's removal or its next
 * attempt. Requests run outside any transaction and at most `concurrency` at a time, so a slow or dead receiver
 * ties up only the dispatcher's own slots, never the API's connections.
 */
export class WebhookDispatcher {
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly stopping = new AbortController();
  /** Longer than any attempt can take, so a live dispatcher's lease never runs out under it. */
  private readonly leaseMs: number;
  private timer?: NodeJS.Timeout;
  private filling = false;
  private fillAgain = false;
  private lastPrune = 0;
  private readonly held = new HeldEvents();
  /** Set by stop(): no more claims. */
  private closing = false;
  /** Claims made by a fill that was under way when stop() came, and deliveries abandoned since. */
  private claimedSinceStop = 0;
  private abandoned = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: DispatcherOptions,
  ) {
    this.leaseMs = options.policy.timeoutMs + 60_000 + (options.faults ? MAX_FAULT_DELAY_MS : 0);
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.intervalMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Events were queued by a write in this process. The write commits just after its listeners ran, so look
   * twice: right away (SQLite runs the claim after the commit anyway) and a moment later.
   */
  nudge(): void {
    for (const delay of [5, 100]) setTimeout(() => this.wake(), delay).unref();
  }

  /** Deliveries being sent right now. */
  get inFlight(): number {
    return this.inflight.size;
  }

  /**
   * Stops claiming events, lets the deliveries in flight finish for up to `drainMs`, then abandons the rest (their
   * events stay queued, untried, for another process or the next start) and waits for them to let go; events a
   * fault held back go back into the outbox.
   */
  async stop(drainMs = 0): Promise<{ finished: number; abandoned: number }> {
    clearInterval(this.timer);
    this.closing = true;
    const atStop = this.inflight.size;
    if (drainMs > 0 && atStop > 0) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise((resolve) => (timer = setTimeout(resolve, drainMs)));
      await Promise.race([this.settled(), bound]);
      clearTimeout(timer);
    }
    this.stopping.abort();
    await this.settled();
    await insertOutboxRows(this.db, this.held.releaseAll(this.options.clock())).catch((err) => this.options.onError?.(err));
    return { finished: Math.max(0, this.claimedSinceStop + atStop - this.abandoned), abandoned: this.abandoned };
  }

  private async settled(): Promise<void> {
    while (this.filling || this.inflight.size > 0) {
      await Promise.allSettled([...this.inflight.values()]);
      if (this.filling) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await insertOutboxRows(this.db, this.held.releaseAll(this.options.clock())).catch((err) => this.options.onError?.(err));
  }

  private wake(): void {
    if (this.closing) return;
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = true;
    this.fill()
      .catch((err) => this.options.onError?.(err))
      .finally(() => {
        this.filling = false;
        if (this.fillAgain) {
          this.fillAgain = false;
          this.wake();
        }
      });
  }

  private async fill(): Promise<void> {
    await this.pruneNow();
    while (!this.closing) {
      const free = this.options.concurrency - this.inflight.size;
      if (free <= 0) return;
      const now = this.options.clock();
      if (!(await anyDueEvent(this.db, now))) return;
      const owner = randomUUID();
      const claimed = await claimDueEvents(this.db, now, free, now + this.leaseMs, owner);
      if (this.closing) this.claimedSinceStop += claimed.length;
      for (const event of claimed) {
        const delivery = this.deliver(event, owner)
          .catch((err) => this.options.onError?.(err))
          .finally(() => {
            this.inflight.delete(event.id);
            // A finished event may unblock the next one of its entity.
            this.wake();
          });
        this.inflight.set(event.id, delivery);
      }
      if (claimed.length < free) return;
    }
  }

  private async deliver(event: OutboxRow, owner: string): Promise<void> {
    const { policy, clock } = this.options;
    const leased = { companyId: event.company_id, id: event.id, owner };
    const webhook = await findWebhook(this.db, event.company_id, event.webhook_id);
    if (!webhook || webhook.remove_time !== null) {
      await finishEvent(this.db, leased);
      return;
    }
    const attempt = event.attempts + 1;
    if (isBanned(webhook, clock())) {
      const dropped = await this.db.transaction().execute(async (trx) => {
        if (!(await finishEvent(trx, leased))) return false;
        await insertDeliveries(trx, [
          record(event, attempt, clock(), { result: 'dropped', error: `webhook banned until ${isoTime(webhook.banned_until as number)}` }),
        ]);
        return true;
      });
      if (dropped) this.options.onDelivered?.('dropped');
      return;
    }

    const fault = this.options.faults?.decide({
      companyId: event.company_id,
      webhookId: event.webhook_id,
      eventId: event.event_id,
      entity: event.entity,
      event: event.event,
      attempt,
      holding: this.held.has(event.webhook_id),
    });
    if (fault?.kind === 'hold') {
      if (await finishEvent(this.db, leased)) this.held.hold(event);
      return;
    }
    const response = await this.attempt(
      {
        url: webhook.subscription_url,
        body: payloadForAttempt(event.payload, attempt),
        auth: webhook.http_auth_user === null ? null : { user: webhook.http_auth_user, password: webhook.http_auth_password ?? '' },
        timeoutMs: policy.timeoutMs,
        signal: this.stopping.signal,
      },
      fault,
    );
    if (response.aborted) {
      this.abandoned += 1;
      await releaseEvent(this.db, leased);
      return;
    }
    const done = clock();
    const recorded = await this.db.transaction().execute(async (trx) => {
      await lockWebhook(trx, webhook.company_id, webhook.id);
      const time = toStoredTime(new Date(done));
      if (response.ok) {
        if (!(await finishEvent(trx, leased))) return false;
        await insertDeliveries(trx, [record(event, attempt, done, { result: 'success', response })]);
        await recordWebhookSuccess(trx, webhook.company_id, webhook.id, time, response.status as number);
        // The events a fault held back follow the one delivered after them.
        await insertOutboxRows(trx, this.held.release(webhook.id, done));
        return true;
      }
      const retryAt = nextAttemptAt(policy, attempt, done);
      const kept = retryAt === null ? await finishEvent(trx, leased) : await scheduleRetry(trx, leased, attempt, retryAt);
      if (!kept) return false;
      const outcome = retryAt === null ? 'no attempts left' : `next attempt at ${isoTime(retryAt)}`;
      await insertDeliveries(trx, [record(event, attempt, done, { result: 'failure', response, error: `${response.error}; ${outcome}` })]);
      await this.countFailure(trx, webhook, response, attempt, done, time);
      return true;
    });
    if (recorded) this.options.onDelivered?.(response.ok ? 'success' : 'failure');
  }

  /** Sends the request as the fault (if any) says: not at all, late, or twice. */
  private async attempt(request: WebhookRequest, fault: DeliveryFault | undefined): Promise<WebhookResponse> {
    if (fault?.kind === 'fail') return { ok: false, status: null, error: fault.reason, latencyMs: 0, aborted: false };
    if (fault?.kind === 'delay') {
      const waited = await sleep(fault.ms, true, { signal: request.signal }).catch(() => false);
      if (!waited) return { ok: false, status: null, error: 'dispatcher stopped', latencyMs: 0, aborted: true };
    }
    const response = await this.options.send(request);
    if (fault?.kind === 'duplicate' && response.ok) await this.options.send(request);
    return response;
  }

  private async countFailure(trx: Kysely<Database>, webhook: WebhookRow, response: WebhookResponse, attempt: number, now: number, time: string) {
    const { policy } = this.options;
    const counters = await recordWebhookFailure(trx, webhook.company_id, webhook.id, { time, status: response.status, firstAttempt: attempt === 1, now });
    if (!counters) return;
    const verdict = afterFailure(policy, counters, now);
    if (verdict.remove) await markWebhookRemoved(trx, webhook.company_id, webhook.id, time, REMOVED_FOR_FAILURES);
    else if (verdict.ban) await banWebhook(trx, webhook.company_id, webhook.id, now + policy.banMs, policy.banThreshold);
  }

  private async pruneNow(): Promise<void> {
    const now = this.options.clock();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await pruneDeliveries(this.db, isoTime(now - DELIVERY_LOG_DAYS * 86_400_000));
  }
}

function record(
  event: OutboxRow,
  attempt: number,
  at: number,
  outcome: { result: 'success' | 'failure' | 'dropped'; response?: WebhookResponse; error?: string },
) {
  return {
    company_id: event.company_id,
    webhook_id: event.webhook_id,
    event_id: event.event_id,
    event: event.event,
    entity_id: event.entity_id,
    attempt,
    result: outcome.result,
    status_code: outcome.response?.status ?? null,
    latency_ms: outcome.response?.latencyMs ?? null,
    error: outcome.error ?? outcome.response?.error ?? null,
    time: isoTime(at),
  };
}
